from . import invoice_pdf_wizard
from . import charge_token
