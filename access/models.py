"""Who may do what: the models of roles, their log, invitations, a user's own settings and
the OpenID Connect identities bound to accounts.

Each lives in the module of its concept; Django finds them here.
"""

from .accounts import AccountSettings
from .identities import Identity
from .invitations import Invitation
from .roles import Role, RoleEvent

__all__ = ["AccountSettings", "Identity", "Invitation", "Role", "RoleEvent"]
