// What idp-sim knows about each Graph collection it serves.
#include "graph/entity_sets.hpp"

namespace idp_sim::graph {

const EntitySet& users_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "users";
    s.type = "user";
    s.resource_name = "User";
    s.list_context = "users";
    s.entity_context = "users";
    s.required_on_create = {"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"};
    s.read_only = {"id", "createdDateTime", "deletedDateTime"};
    // user resource type: "By default, only a limited set of properties are returned".
    s.default_properties = {"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                            "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"};
    s.filterable = {"id", "userPrincipalName", "mail", "displayName", "givenName", "surname", "accountEnabled",
                    "userType", "employeeId", "otherMails", "proxyAddresses", "jobTitle", "department", "city",
                    "country", "companyName", "mailNickname", "createdDateTime", "usageLocation"};
    return s;
  }();
  return set;
}

const EntitySet& groups_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "groups";
    s.type = "group";
    s.resource_name = "Group";
    s.list_context = "groups";
    s.entity_context = "groups";
    s.required_on_create = {"displayName", "mailEnabled", "mailNickname", "securityEnabled"};
    s.read_only = {"id",
                   "createdDateTime",
                   "deletedDateTime",
                   "expirationDateTime",
                   "mail",
                   "proxyAddresses",
                   "renewedDateTime",
                   "securityIdentifier",
                   "onPremisesDomainName",
                   "onPremisesLastSyncDateTime",
                   "onPremisesNetBiosName",
                   "onPremisesProvisioningErrors",
                   "onPremisesSamAccountName",
                   "onPremisesSecurityIdentifier",
                   "onPremisesSyncEnabled",
                   "hasMembersWithLicenseErrors",
                   "serviceProvisioningErrors",
                   "isArchived"};
    s.create_forbidden = {"allowExternalSenders",  "autoSubscribeNewMembers", "hideFromAddressLists",
                          "hideFromOutlookClients", "isSubscribedByMail",      "unseenCount"};
    s.select_only = {"allowExternalSenders",   "autoSubscribeNewMembers",  "hideFromAddressLists",
                     "hideFromOutlookClients", "isSubscribedByMail",       "unseenCount",
                     "unseenConversationsCount", "unseenMessagesCount",    "hasMembersWithLicenseErrors",
                     "isArchived",             "licenseProcessingState",   "accessType",
                     "isFavorite",             "assignedLabels",           "assignedLicenses",
                     "isManagementRestricted", "welcomeMessageEnabled"};
    s.filterable = {"id", "displayName", "description", "mail", "mailNickname", "mailEnabled", "securityEnabled",
                    "groupTypes", "isAssignableToRole", "proxyAddresses", "visibility",
                    "securityIdentifier", "onPremisesSyncEnabled", "expirationDateTime", "classification",
                    "membershipRuleProcessingState", "uniqueName"};
    return s;
  }();
  return set;
}

const EntitySet& applications_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "applications";
    s.type = "application";
    s.resource_name = "Application";
    s.list_context = "applications";
    s.entity_context = "applications";
    s.required_on_create = {"displayName"};
    s.read_only = {"id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain", "disabledByMicrosoftStatus",
                   "certification", "verifiedPublisher", "applicationTemplateId"};
    s.filterable = {"id", "appId", "displayName", "identifierUris", "signInAudience", "publisherDomain",
                    "createdDateTime", "tags", "uniqueName", "applicationTemplateId", "web"};
    return s;
  }();
  return set;
}

const EntitySet& service_principals_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "servicePrincipals";
    s.type = "servicePrincipal";
    s.resource_name = "ServicePrincipal";
    s.list_context = "servicePrincipals";
    s.entity_context = "servicePrincipals";
    s.required_on_create = {"appId"};
    s.read_only = {"id", "deletedDateTime", "appDisplayName", "appOwnerOrganizationId", "applicationTemplateId",
                   "signInAudience", "disabledByMicrosoftStatus", "verifiedPublisher", "servicePrincipalType"};
    s.filterable = {"id", "appId", "displayName", "servicePrincipalNames", "tags", "accountEnabled",
                    "appOwnerOrganizationId", "servicePrincipalType", "preferredSingleSignOnMode", "appDisplayName",
                    "applicationTemplateId"};
    return s;
  }();
  return set;
}

const EntitySet& ca_policies_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "conditionalAccessPolicies";
    s.type = "conditionalAccessPolicy";
    s.resource_name = "ConditionalAccessPolicy";
    s.list_context = "conditionalAccess/policies";
    s.entity_context = "conditionalAccess/policies";
    s.directory_object = false;
    s.max_page_size = 0;
    s.default_page_size = 0;  // the whole list on one page unless $top is given
    s.error_style = ErrorStyle::conditional_access;
    s.required_on_create = {"displayName", "state", "conditions"};
    s.read_only = {"id", "createdDateTime", "modifiedDateTime"};
    return s;
  }();
  return set;
}

const EntitySet& named_locations_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "namedLocations";
    s.type = "namedLocation";
    s.resource_name = "NamedLocation";
    s.list_context = "conditionalAccess/namedLocations";
    s.entity_context = "namedLocations";
    s.directory_object = false;
    s.polymorphic = true;
    s.max_page_size = 0;
    s.default_page_size = 0;
    s.error_style = ErrorStyle::conditional_access;
    s.required_on_create = {"@odata.type", "displayName"};
    s.read_only = {"id", "createdDateTime", "modifiedDateTime"};
    return s;
  }();
  return set;
}

const EntitySet& app_role_assignments_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "appRoleAssignments";
    s.type = "appRoleAssignment";
    s.resource_name = "AppRoleAssignment";
    s.list_context = "appRoleAssignments";
    s.entity_context = "appRoleAssignments";
    s.required_on_create = {"principalId", "resourceId", "appRoleId"};
    s.read_only = {"id", "createdDateTime", "deletedDateTime", "principalDisplayName", "resourceDisplayName"};
    s.filterable = {"id", "principalId", "resourceId", "appRoleId", "principalType", "principalDisplayName",
                    "resourceDisplayName", "createdDateTime"};
    return s;
  }();
  return set;
}

const EntitySet& federated_credentials_set() {
  static const EntitySet set = [] {
    EntitySet s;
    s.name = "federatedIdentityCredentials";
    s.type = "federatedIdentityCredential";
    s.resource_name = "FederatedIdentityCredential";
    s.list_context = "federatedIdentityCredentials";
    s.entity_context = "federatedIdentityCredentials";
    s.directory_object = false;
    s.required_on_create = {"name", "issuer", "subject", "audiences"};
    s.read_only = {"id"};
    return s;
  }();
  return set;
}

const std::vector<const EntitySet*>& directory_sets() {
  static const std::vector<const EntitySet*> sets = {&users_set(), &groups_set(), &service_principals_set(),
                                                     &applications_set()};
  return sets;
}

const EntitySet* entity_set_by_name(const std::string& name) {
  for (const auto* set : {&users_set(), &groups_set(), &applications_set(), &service_principals_set(),
                          &ca_policies_set(), &named_locations_set(), &app_role_assignments_set(),
                          &federated_credentials_set()}) {
    if (set->name == name) return set;
  }
  return nullptr;
}

const EntitySet* entity_set_by_type(const std::string& type) {
  for (const auto* set : {&users_set(), &groups_set(), &applications_set(), &service_principals_set(),
                          &ca_policies_set(), &named_locations_set(), &app_role_assignments_set(),
                          &federated_credentials_set()}) {
    if (set->type == type) return set;
  }
  if (type == "ipNamedLocation" || type == "countryNamedLocation") return &named_locations_set();
  return nullptr;
}

}  // namespace idp_sim::graph
