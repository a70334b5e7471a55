"""The network's ground floor: places, organisations, themes and members.

Models live in one module per area; each is imported here so Django finds them.
"""

from .members import City, Member, MemberManager, Organisation, Theme

__all__ = ["City", "Member", "MemberManager", "Organisation", "Theme"]
