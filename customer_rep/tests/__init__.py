from . import test_account_manager
from . import test_sale_order_account_manager
from . import test_xmlrpc
from . import test_own_accounts
from . import test_important_note
from . import test_translations
