"""Who may do what: the models of roles, their log, invitations and a user's own settings.

Each lives in the module of its concept; Django finds them here.
"""

from .accounts import AccountSettings
from .invitations import Invitation
from .roles import Role, RoleEvent

__all__ = ["AccountSettings", "Invitation", "Role", "RoleEvent"]
