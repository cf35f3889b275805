"""The Salesforce objects an import reads: their columns (API names, labels, report headers),
their record-id key prefixes, and which file of an export folder holds which object.

Data Export Service and Data Loader name columns by API name (Data Loader upper-cases them:
``"ID","NAME"``); reports and some tools write field labels (``Account ID``, ``Account Name``,
``Account Owner``), report exports prefix them with the object (``Account: Account Name``). All
of them are matched case-insensitively through the tables below.
"""

from __future__ import annotations

from pathlib import Path

from crmkg.ingest.tables import Column, Columns

#: The 3-character key prefix of each object's record ids.
PREFIX = {
    "Account": "001",
    "Contact": "003",
    "User": "005",
    "UserRole": "00E",
    "AccountTeamMember": "01M",
    "AccountContactRelation": "07k",
    "AccountContactRole": "02Z",
    "AccountHistory": "017",
}
QUEUE_PREFIX = "00G"  # a queue (Group) can own records; it is nobody's lead
OBJECT_OF_PREFIX = {v: k for k, v in PREFIX.items()} | {QUEUE_PREFIX: "Group (queue)", "0MI": "Territory2"}

#: Objects a Salesforce export often holds that the import does not use (one note lists them).
KNOWN_UNUSED = (
    "Opportunity",
    "OpportunityTeamMember",
    "OpportunityContactRole",
    "OpportunityHistory",
    "OpportunityLineItem",
    "Lead",
    "Case",
    "Task",
    "Event",
    "Campaign",
    "CampaignMember",
    "Territory",
    "Territory2",
    "UserTerritory",
    "UserTerritory2Association",
    "ObjectTerritory2Association",
    "Group",
    "GroupMember",
    "RecordType",
    "Profile",
    "Note",
    "Attachment",
)


def _c(name: str, *aliases: str, required: bool = False, key: bool = False, instead: tuple[str, ...] = ()) -> Column:
    return Column(name, aliases, required=required, key=key, instead=instead)


_DELETED = _c("IsDeleted", "Deleted", "Is Deleted")
_CREATED = _c("CreatedDate", "Created Date", "Create Date")

SPECS: dict[str, Columns] = {
    "Account": Columns(
        (
            _c("Id", "Account ID", "Account Id", required=True),
            _c("Name", "Account Name"),
            _c("Type", "Account Type"),
            _c("ParentId", "Parent Account ID", "Parent ID", "Parent Account Id"),
            _c("OwnerId", "Account Owner ID", "Owner ID", "Account Owner Id", key=True, instead=("OwnerName",)),
            _c("OwnerName", "Account Owner", "Owner Name", "Owner.Name", "Owner Full Name"),
            _CREATED,
            _DELETED,
            _c("IsPersonAccount", "Is Person Account", "Person Account"),
            _c("PersonContactId", "Person Contact ID"),
            _c("FirstName", "First Name"),
            _c("LastName", "Last Name"),
        ),
        prefixes=("Account",),
    ),
    "User": Columns(
        (
            _c("Id", "User ID", "User Id", required=True),
            _c("Name", "Full Name"),
            _c("FirstName", "First Name"),
            _c("LastName", "Last Name"),
            _c("Email", "E-mail", "Email Address"),
            _c("EmployeeNumber", "Employee Number"),
            _c("UserRoleId", "Role ID", "User Role ID", "Role Id"),
            _c("ManagerId", "Manager ID", "Manager Id"),
            _c("Department"),
            _c("IsActive", "Active", "Is Active"),
            _c("UserType", "User Type", "License Type"),
        ),
        prefixes=("User",),
    ),
    "UserRole": Columns(
        (
            _c("Id", "Role ID", "Role Id", required=True),
            _c("Name", "Role Name", "Label", "Role Label"),
            _c("ParentRoleId", "Parent Role ID", "Parent Role Id", "Reports To ID"),
            _c("PortalType", "Portal Type"),
        ),
        prefixes=("Role", "User Role"),
    ),
    "Contact": Columns(
        (
            _c("Id", "Contact ID", "Contact Id", required=True),
            _c("AccountId", "Account ID", "Account Id", key=True),
            _c("Name", "Full Name", "Contact Name"),
            _c("FirstName", "First Name"),
            _c("LastName", "Last Name"),
            _c("IsPersonAccount", "Is Person Account"),
            _DELETED,
        ),
        prefixes=("Contact",),
    ),
    "AccountTeamMember": Columns(
        (
            _c("Id", "Account Team Member ID", "Team Member ID", required=True),
            _c("AccountId", "Account ID", "Account Id", required=True),
            _c("UserId", "User ID", "User Id", "Team Member ID (User)", required=True),
            _c("TeamMemberRole", "Team Role", "Team Member Role", "Role", required=True),
            _c("CreatedById", "Created By ID"),
            _CREATED,
            _DELETED,
        ),
        prefixes=("Account Team Member", "Account Team"),
    ),
    "AccountContactRelation": Columns(
        (
            _c("Id", "Account Contact Relationship ID", "Relationship ID", required=True),
            _c("AccountId", "Account ID", "Account Id", required=True),
            _c("ContactId", "Contact ID", "Contact Id", required=True),
            _c("Roles", "Role", required=True),
            _DELETED,
        ),
        prefixes=("Account Contact Relationship", "Account Contact Relation"),
    ),
    "AccountContactRole": Columns(
        (
            _c("Id", "Account Contact Role ID", "Contact Role ID", required=True),
            _c("AccountId", "Account ID", "Account Id", required=True),
            _c("ContactId", "Contact ID", "Contact Id", required=True),
            _c("Role", "Roles", required=True),
            _DELETED,
        ),
        prefixes=("Account Contact Role", "Contact Role"),
    ),
    "AccountHistory": Columns(
        (
            _c("Id", "Account History ID", "History ID"),
            _c("AccountId", "Account ID", "Account Id", required=True),
            _c("Field", "Changed Field", "Field / Event", "Field/Event", required=True),
            _c("OldValue", "Old Value", required=True),
            _c("NewValue", "New Value", required=True),
            _c("CreatedDate", "Created Date", "Edit Date", "Date", required=True),
            _c("CreatedById", "Created By ID", "Edited By ID"),
            _DELETED,
        ),
        prefixes=("Account History",),
    ),
}
OBJECTS = tuple(SPECS)
#: The object without which there is nothing to import.
REQUIRED_OBJECT = "Account"


def find_files(paths: list[Path]) -> tuple[dict[str, Path], list[Path]]:
    """The files by object (file names compared case-insensitively: ``account.CSV`` is Account),
    and the files that name no object the import reads."""
    by_object: dict[str, Path] = {}
    others: list[Path] = []
    names = {obj.casefold(): obj for obj in OBJECTS}
    for path in paths:
        obj = names.get(path.stem.casefold())
        if obj is not None and obj not in by_object:
            by_object[obj] = path
        else:
            others.append(path)
    return by_object, others
