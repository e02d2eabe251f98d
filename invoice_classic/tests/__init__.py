from . import test_einvoice_mentions
from . import test_invoice_from_sale_order
from . import test_invoice_from_picking
from . import test_invoice_from_partner
from . import test_performance
from . import test_ui
from . import test_einvoice_lines
