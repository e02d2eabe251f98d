from . import test_demo
from . import test_invoice_from_opportunity
from . import test_opportunity_views
from . import test_ui
