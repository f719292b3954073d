# res.partner is extended by capability, one file each; res_partner.py holds what they share.
# The import order is the MRO: a file imported later wraps the ones before it, so its create
# and write run first. Order that matters: res_partner_account_manager comes after
# res_partner_own_accounts, so that the assign-right check sees the values as sent, before own
# accounts fills in the creator as account manager (which needs no right). res_partner_winback
# and res_partner_rfm wrap the daily job of res_partner_order_metrics, so they come after it.
# res_partner_input comes last of them: it checks and normalises the input before any other
# capability sees it.
from . import customer_rep_input_mixin
from . import customer_rep_account_manager_mixin
from . import customer_rep_assignment_notice
from . import customer_rep_access_period
from . import customer_rep_team
from . import customer_rep_cover
from . import res_config_settings
from . import res_partner
from . import res_partner_own_accounts
from . import res_partner_account_manager
from . import res_partner_location
from . import res_partner_order_metrics
from . import res_partner_order_metrics_delta
from . import res_partner_order_metrics_repair
from . import res_partner_winback
from . import res_partner_rfm
from . import res_partner_account_manager_overview
from . import res_partner_billing
from . import res_partner_customer_number
from . import res_partner_identity
from . import res_partner_favorite
from . import res_partner_important_note
from . import res_partner_deletion
from . import res_partner_bulk_update
from . import res_partner_import
from . import res_partner_link
from . import res_partner_tracking
from . import res_partner_input
from . import res_partner_permission
from . import res_partner_team
from . import res_users
from . import res_users_team
from . import sale_order
from . import sale_order_team
from . import sale_order_line
from . import sale_report
from . import account_move
from . import account_payment_term
from . import ir_fields_converter
from . import ir_rule
from . import ir_sequence
from . import mail_activity
from . import mail_activity_cover
from . import mail_thread
from . import mail_tracking_value
