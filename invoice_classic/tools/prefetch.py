# The prefetch group of the stored fields of an invoice that Odoo's own flows (creating,
# validating, paying it) never read: the printed and sent documents, the reminders and the
# forms do. Fetched together on their own when one of them is first read, they leave every
# other read of an invoice's row as narrow as without the addon.
RARELY_READ = "invoice_classic_rarely_read"
