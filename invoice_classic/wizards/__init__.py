from . import invoice_pdf_wizard
