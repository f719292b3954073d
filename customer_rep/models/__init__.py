from . import res_partner
from . import res_partner_link
from . import sale_order
from . import res_config_settings
