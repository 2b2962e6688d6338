// Entra's built-in directory roles by display name and template id.
#include "providers/entra/directory_roles.hpp"

#include <utility>

#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

// The administrator roles conditional access policies commonly target. A role missing here is
// reported by check() with the name it could not find.
constexpr std::pair<std::string_view, std::string_view> kRoles[] = {
    {"Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"},
    {"Application Developer", "cf1c38e5-3621-4004-a7cb-879624dced7c"},
    {"Attack Simulation Administrator", "c430b396-e693-46cc-96f3-db01bf8bb62a"},
    {"Authentication Administrator", "c4e39bd9-1100-46d3-8c65-fb160da0071f"},
    {"Authentication Policy Administrator", "0526716b-113d-4c15-b2c8-68e3c22b9f80"},
    {"Azure DevOps Administrator", "e3973bdf-4987-49ae-837a-ba8e231c7286"},
    {"Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe"},
    {"Cloud App Security Administrator", "892c5842-a9a6-463a-8041-72aa08ca3cf6"},
    {"Cloud Application Administrator", "158c047a-c907-4556-b7ef-446551a6b5f7"},
    {"Cloud Device Administrator", "7698a772-787b-4ac8-901f-60d6b08affd2"},
    {"Compliance Administrator", "17315797-102d-40b4-93e0-432062caca18"},
    {"Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"},
    {"Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"},
    {"Directory Synchronization Accounts", "d29b2b05-8046-44ba-8758-1e26182fcf32"},
    {"Directory Writers", "9360feb5-f418-4baa-8175-e2a00bac4301"},
    {"Domain Name Administrator", "8329153b-31d0-4727-b945-745eb3bc5f31"},
    {"Dynamics 365 Administrator", "44367163-eba1-44c3-98af-f5787879f96a"},
    {"Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de"},
    {"External Identity Provider Administrator", "be2f45a1-457d-42af-a067-6ec1fa63bc45"},
    {"Global Administrator", "62e90394-69f5-4237-9190-012177145e10"},
    {"Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"},
    {"Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c"},
    {"Guest Inviter", "95e79109-95c0-4d8e-aee3-d01accf2d47b"},
    {"Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8"},
    {"Hybrid Identity Administrator", "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"},
    {"Identity Governance Administrator", "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e"},
    {"Intune Administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5"},
    {"License Administrator", "4d6ac14f-3453-41d0-bef9-a3e0c569773a"},
    {"Password Administrator", "966707d0-3269-4727-9be2-8c3a10f19b9d"},
    {"Power Platform Administrator", "11648597-926c-4cf3-9c36-bcebb0ba8dcc"},
    {"Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"},
    {"Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"},
    {"Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf"},
    {"Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d"},
    {"Security Operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f"},
    {"Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509"},
    {"Service Support Administrator", "f023fd81-a637-4b56-95fd-791ac0226033"},
    {"SharePoint Administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"},
    {"Teams Administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8"},
    {"User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"},
    {"Windows 365 Administrator", "11451d60-acb2-45eb-a7d6-43d0f0125c13"},
};

}  // namespace

std::optional<std::string> role_template_id(std::string_view display_name) {
  for (const auto& [name, id] : kRoles)
    if (util::iequals(name, display_name)) return std::string(id);
  return std::nullopt;
}

std::optional<std::string> role_display_name(std::string_view template_id) {
  for (const auto& [name, id] : kRoles)
    if (util::iequals(id, template_id)) return std::string(name);
  return std::nullopt;
}

}  // namespace idform::providers::entra
