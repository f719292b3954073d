from . import res_partner
from . import sale_order
from . import res_config_settings
