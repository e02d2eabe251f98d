from . import account_move
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import stock_picking
