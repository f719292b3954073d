from . import base_partner_merge_automatic_wizard
from . import customer_rep_location_manager
from . import customer_rep_mass_update
from . import customer_rep_handover
from . import customer_rep_handover_transfer
from . import customer_rep_handover_line
from . import customer_rep_handover_team
