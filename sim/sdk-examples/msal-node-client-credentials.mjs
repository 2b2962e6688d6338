// Microsoft's authentication library for Node.js against idp-sim over https: discovers the token
// endpoint through idp-sim's OIDC discovery document, gets a client-credentials token, and lists
// groups with it. Optional; not part of the test suite (it needs a package from npm).
//
//   build/sim/idp-sim --flavor graph --port 8443 --tls --tls-ca-file /tmp/idp-sim-ca.pem \
//     --client 5a7b0000-1111-4222-8333-444455556666:s3cret &
//   mkdir /tmp/msal && cp sim/sdk-examples/msal-node-client-credentials.mjs /tmp/msal && cd /tmp/msal
//   npm install @azure/msal-node
//   NODE_EXTRA_CA_CERTS=/tmp/idp-sim-ca.pem node msal-node-client-credentials.mjs
//
// (Node resolves the package next to the script, hence the copy.)
//
// IDP_SIM_URL, IDP_SIM_TENANT, IDP_SIM_CLIENT_ID and IDP_SIM_CLIENT_SECRET override the defaults
// used above. Exits 0 and prints the number of groups when everything worked.
import { ConfidentialClientApplication } from "@azure/msal-node";

const base = process.env.IDP_SIM_URL ?? "https://127.0.0.1:8443";
const tenant = process.env.IDP_SIM_TENANT ?? "contoso.onmicrosoft.com";
const clientId = process.env.IDP_SIM_CLIENT_ID ?? "5a7b0000-1111-4222-8333-444455556666";
const clientSecret = process.env.IDP_SIM_CLIENT_SECRET ?? "s3cret";

const app = new ConfidentialClientApplication({
  auth: {
    clientId,
    clientSecret,
    authority: `${base}/${tenant}`,
    // The idp-sim host is an authority MSAL should trust as it is, without asking
    // login.microsoftonline.com for instance discovery.
    knownAuthorities: [new URL(base).host],
  },
});

const result = await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
if (!result?.accessToken) throw new Error("no access token");
const response = await fetch(`${base}/v1.0/groups`, { headers: { Authorization: `Bearer ${result.accessToken}` } });
if (!response.ok) throw new Error(`GET /v1.0/groups: HTTP ${response.status}`);
const body = await response.json();
console.log(`msal-node: token from ${base}/${tenant}, ${body.value.length} groups`);
