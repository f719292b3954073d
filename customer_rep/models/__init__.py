from . import res_partner
from . import sale_order
from . import res_config_settings
from . import ir_rule
from . import mail_tracking_value
from . import sale_report
