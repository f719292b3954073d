from . import res_partner
from . import sale_order
from . import res_config_settings
from . import sale_order_line
