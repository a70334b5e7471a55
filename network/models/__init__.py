"""The network's ground floor: places, organisations, themes and members.

Models live in one module per area; each is imported here so Django finds them.
"""

from network.audit.models import AuditEvent
from network.conversations.models import (
    Block,
    Conversation,
    Message,
    MessageReport,
    Participant,
)

from .drivers import PolicyDriver
from .forums import *  # noqa: F403 (its models: FORUM_MODELS)
from .forums import FORUM_MODELS
from .members import City, Member, MemberManager, Organisation, Theme

__all__ = [
    "AuditEvent",
    "Block",
    "Conversation",
    "Message",
    "MessageReport",
    "Participant",
    "PolicyDriver",
    "City",
    "Member",
    "MemberManager",
    "Organisation",
    "Theme",
    *FORUM_MODELS,
]
