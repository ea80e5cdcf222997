#include "services/gateway/routes.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "bitcontent/accounts/v1/accounts_admin_service.pb.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "bitcontent/blobs/v1/blobs_service.pb.h"
#include "bitcontent/gateway/v1/gateway_service.pb.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "bitcontent/pricing/v1/pricing_admin_service.pb.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "bitcontent/streaming/v1/streaming_service.pb.h"
#include "bitcontent/wallet/v1/wallet_admin_service.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"

namespace bitcontent::gateway {
namespace {

using common::v1::SCOPE_FILES_READ;
using common::v1::SCOPE_FILES_WRITE;

// The policies the table uses, named for what they mean.
constexpr AuthPolicy kPublic = {.access = Access::kPublic};
// Anyone; a member who sends a token is known, and sees what only they may.
constexpr AuthPolicy kPublicOrMember = {.access = Access::kPublicOrMember, .api_keys = true};
constexpr AuthPolicy kCredentialAttempt = {.access = Access::kPublic, .limit = Limit::kCredential};
constexpr AuthPolicy kSessionOnly = {.access = Access::kMember};
constexpr AuthPolicy kAnyApiKey = {.access = Access::kMember, .api_keys = true};
constexpr AuthPolicy ApiKeyWith(common::v1::Scope scope) {
  return {.access = Access::kMember, .api_keys = true, .scope = scope};
}
// Chunk transfers: counted apart (Limit::kChunks); reads need only their READ grant.
constexpr AuthPolicy kChunkWrite = {.access = Access::kMember,
                                    .api_keys = true,
                                    .scope = common::v1::SCOPE_FILES_WRITE,
                                    .limit = Limit::kChunks};
constexpr AuthPolicy kChunkRead = {.access = Access::kPublic, .limit = Limit::kChunks};

constexpr absl::string_view kAccounts = "/bitcontent.accounts.v1.AccountsService/";
constexpr absl::string_view kMetadata = "/bitcontent.metadata.v1.MetadataService/";
constexpr absl::string_view kBlobs = "/bitcontent.blobs.v1.BlobsService/";
constexpr absl::string_view kWallet = "/bitcontent.wallet.v1.WalletService/";
constexpr absl::string_view kWalletAdmin = "/bitcontent.wallet.v1.WalletAdminService/";
constexpr absl::string_view kPaywall = "/bitcontent.pricing.v1.PaywallService/";
constexpr absl::string_view kPricing = "/bitcontent.pricing.v1.PricingService/";
constexpr absl::string_view kPricingAdmin = "/bitcontent.pricing.v1.PricingAdminService/";
constexpr AuthPolicy kOperatorOnly = {.access = Access::kOperator};

// Blob calls carry their capability grant (from metadata) in this header, never in the
// URL, which proxies and logs keep.
constexpr HeaderBinding kGrantHeader = {.field = "grant", .header = "Bitcontent-Grant"};
// The largest chunk, as sealed: 4 MiB of plaintext and its 16-byte tag.
constexpr size_t kChunkBodyBytesMax = (size_t{4} << 20) + 16;

std::vector<Route> BuildRoutes() {
  const auto accounts = [](absl::string_view method) { return absl::StrCat(kAccounts, method); };
  const auto metadata = [](absl::string_view method) { return absl::StrCat(kMetadata, method); };
  const auto blobs = [](absl::string_view method) { return absl::StrCat(kBlobs, method); };
  const auto wallet = [](absl::string_view method) { return absl::StrCat(kWallet, method); };
  const auto wallet_admin = [](absl::string_view method) {
    return absl::StrCat(kWalletAdmin, method);
  };
  const auto paywall = [](absl::string_view method) { return absl::StrCat(kPaywall, method); };
  const auto pricing = [](absl::string_view method) { return absl::StrCat(kPricing, method); };
  const auto pricing_admin = [](absl::string_view method) {
    return absl::StrCat(kPricingAdmin, method);
  };
  constexpr AuthPolicy kPaywallManage = ApiKeyWith(common::v1::SCOPE_PAYWALL_MANAGE);
  constexpr AuthPolicy kWalletRead = ApiKeyWith(common::v1::SCOPE_WALLET_READ);
  constexpr AuthPolicy kWalletPay = ApiKeyWith(common::v1::SCOPE_WALLET_PAY);
  constexpr AuthPolicy kFilesRead = ApiKeyWith(SCOPE_FILES_READ);
  constexpr AuthPolicy kFilesWrite = ApiKeyWith(SCOPE_FILES_WRITE);
  constexpr AuthPolicy kEarningsRead = ApiKeyWith(common::v1::SCOPE_EARNINGS_READ);
  // Public links: anyone, and a member who sends a token is known to metadata (a buyer
  // of a priced file inside the link gets its grant).
  constexpr AuthPolicy kLinkReader = {
      .access = Access::kPublicOrMember, .api_keys = true, .scope = SCOPE_FILES_READ};
  return {
      // Accounts: sign-up and login, which need no token.
      {.http_method = "POST",
       .path = "/v1/accounts:signUp",
       .rpc = accounts("SignUp"),
       .body = true,
       .auth = kCredentialAttempt,
       .summary = "Create an account from client-derived keys; returns the first session's tokens"},
      {.http_method = "POST",
       .path = "/v1/accounts:preLogin",
       .rpc = accounts("PreLogin"),
       .body = true,
       // Not a credential attempt: its answer is the same for every email, so counting it
       // against the email would only halve how often a member may log in.
       .auth = kPublic,
       .summary = "Salt and KDF parameters for an email (a stable fake one for unknown emails)"},
      {.http_method = "POST",
       .path = "/v1/accounts:login",
       .rpc = accounts("Login"),
       .body = true,
       .auth = kCredentialAttempt,
       .summary = "Open a session with the authentication key derived from the password"},
      {.http_method = "POST",
       .path = "/v1/accounts:refresh",
       .rpc = accounts("Refresh"),
       .body = true,
       .auth = kPublic,
       .summary = "Exchange a refresh token (used once) for new tokens"},
      {.http_method = "POST",
       .path = "/v1/accounts:recover",
       .rpc = accounts("RecoverAccount"),
       .body = true,
       .auth = kCredentialAttempt,
       .summary = "Regain access with the recovery key and set a new password"},
      {.http_method = "POST",
       .path = "/v1/accounts:claim",
       .rpc = accounts("ClaimLegacyAccount"),
       .body = true,
       .auth = kCredentialAttempt,
       .summary = "Activate an imported legacy account with its one-time claim token"},
      {.http_method = "POST",
       .path = "/v1/accounts:logout",
       .rpc = accounts("Logout"),
       .body = true,
       .auth = kSessionOnly,
       .summary = "End the caller's session"},
      // Accounts: the member's own account.
      {.http_method = "GET",
       .path = "/v1/users/{user}",
       .rpc = accounts("GetUser"),
       .coalesced_rpc = "/bitcontent.accounts.v1.AccountsInternalService/CoalescedGetUser",
       .bindings = {{"name", "users/{user}"}},
       .auth = kAnyApiKey,
       .summary = "A member (\"me\" for the caller)"},
      {.http_method = "POST",
       .path = "/v1/users:lookupPublicKey",
       .rpc = accounts("LookupUserPublicKey"),
       .body = true,
       .auth = ApiKeyWith(SCOPE_FILES_WRITE),
       .summary = "Another member's id and X25519 public key by email, to share with them"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/keyBundle",
       .rpc = accounts("GetKeyBundle"),
       .bindings = {{"name", "users/{user}"}},
       .auth = ApiKeyWith(SCOPE_FILES_READ),
       .summary = "The caller's wrapped keys, for a device with tokens but no keys"},
      {.http_method = "POST",
       .path = "/v1/users/{user}:changePassword",
       .rpc = accounts("ChangePassword"),
       .body = true,
       .auth = kSessionOnly,
       .summary = "Re-wrap the master key under a new password; revokes every other session"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/sessions",
       .rpc = accounts("ListSessions"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kSessionOnly,
       .summary = "The caller's sessions (devices)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/sessions/{session}:revoke",
       .rpc = accounts("RevokeSession"),
       .bindings = {{"name", "users/{user}/sessions/{session}"}},
       .body = true,
       .auth = kSessionOnly,
       .summary = "Revoke one of the caller's sessions"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/apiKeys",
       .rpc = accounts("CreateApiKey"),
       .bindings = {{"parent", "users/{user}"}},
       .body = true,
       .auth = kSessionOnly,
       .summary = "Create a scoped API key; the secret is shown only in this answer"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/apiKeys",
       .rpc = accounts("ListApiKeys"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kSessionOnly,
       .summary = "The caller's API keys, never their secrets"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/apiKeys/{api_key}:revoke",
       .rpc = accounts("RevokeApiKey"),
       .bindings = {{"name", "users/{user}/apiKeys/{api_key}"}},
       .body = true,
       .auth = kSessionOnly,
       .summary = "Revoke an API key at once"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/quota",
       .rpc = accounts("GetQuota"),
       .bindings = {{"name", "users/{user}/quota"}},
       .auth = ApiKeyWith(SCOPE_FILES_READ),
       .summary = "The caller's storage quota and usage"},
      // The gateway's own.
      {.http_method = "GET",
       .path = "/v1/keys",
       .rpc = "/bitcontent.gateway.v1.GatewayService/ListPublicKeys",
       .auth = kPublic,
       .summary = "Every public key of the suite, to verify tokens offline"},
      {.http_method = "GET",
       .path = "/v1/serverInfo",
       .rpc = "/bitcontent.gateway.v1.GatewayService/GetServerInfo",
       .auth = kPublic,
       .summary = "Versions, limits and defaults of this deployment"},
      // Metadata: the member's tree (names and keys stay sealed; see nodes.proto).
      {.http_method = "POST",
       .path = "/v1/nodes:createRoot",
       .rpc = metadata("CreateRootNode"),
       .body = true,
       .auth = kFilesWrite,
       .summary = "Create your root folder (once)"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/rootNode",
       .rpc = metadata("GetRootNode"),
       .bindings = {{"owner", "users/{user}"}},
       .auth = kFilesRead,
       .summary = "Your root folder"},
      {.http_method = "POST",
       .path = "/v1/nodes:createFolder",
       .rpc = metadata("CreateFolder"),
       .body = true,
       .auth = kFilesWrite,
       .summary = "Create a folder; 409 NAME_CONFLICT when the parent has that name"},
      {.http_method = "GET",
       .path = "/v1/nodes/{node}",
       .rpc = metadata("GetNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .auth = kFilesRead,
       .summary = "A file or folder"},
      {.http_method = "GET",
       .path = "/v1/nodes/{node}/children",
       .rpc = metadata("ListChildren"),
       .bindings = {{"parent", "nodes/{node}"}},
       .auth = kFilesRead,
       .summary = "A folder's children, a page at a time, with the change-log sequence"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:rename",
       .rpc = metadata("RenameNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "New sealed attributes and name HMAC"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:move",
       .rpc = metadata("MoveNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Move into another folder, with the key re-wrapped for it"},
      {.http_method = "POST",
       .path = "/v1/nodes:copy",
       .rpc = metadata("CopyNode"),
       .body = true,
       .auth = kFilesWrite,
       .summary = "Copy a file you may read, or one from a public link, into your folder "
                  "(no bytes move)"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:trash",
       .rpc = metadata("TrashNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Put in the trash (restorable)"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:restore",
       .rpc = metadata("RestoreNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Take out of the trash, optionally into another folder or under another name"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:purge",
       .rpc = metadata("PurgeNode"),
       .bindings = {{"name", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Remove a node in the trash for good, with all it holds"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/trash:empty",
       .rpc = metadata("EmptyTrash"),
       .bindings = {{"owner", "users/{user}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Purge everything in your trash, giving its bytes back to your quota"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/trash",
       .rpc = metadata("ListTrash"),
       .bindings = {{"owner", "users/{user}"}},
       .auth = kFilesRead,
       .summary = "What you put in the trash"},
      {.http_method = "POST",
       .path = "/v1/uploads",
       .rpc = metadata("BeginUpload"),
       .body = true,
       .auth = kFilesWrite,
       .summary = "Reserve quota for an upload and get the grant for its blob upload session"},
      {.http_method = "GET",
       .path = "/v1/uploads/{upload}",
       .rpc = metadata("GetUpload"),
       .bindings = {{"name", "uploads/{upload}"}},
       .auth = kFilesWrite,
       .summary = "An upload, with a fresh grant while it is open (to resume)"},
      {.http_method = "POST",
       .path = "/v1/uploads/{upload}:abort",
       .rpc = metadata("AbortUpload"),
       .bindings = {{"name", "uploads/{upload}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Abort an upload and give its quota back"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/uploads",
       .rpc = metadata("ListUploads"),
       .bindings = {{"uploader", "users/{user}"}},
       .auth = kFilesRead,
       .summary = "Your uploads still open, each holding its size of the quota until it is "
                  "committed, aborted or expires (pageSize at most 100, default 50)"},
      {.http_method = "GET",
       .path = "/v1/nodes/{node}/versions",
       .rpc = metadata("ListVersions"),
       .bindings = {{"parent", "nodes/{node}"}},
       .auth = kFilesRead,
       .summary = "A file's kept versions, newest first"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}/versions/{version}:restore",
       .rpc = metadata("RestoreVersion"),
       .bindings = {{"name", "nodes/{node}/versions/{version}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Make a kept version the file's current one again (no bytes move)"},
      {.http_method = "DELETE",
       .path = "/v1/nodes/{node}/versions/{version}",
       .rpc = metadata("DeleteVersion"),
       .bindings = {{"name", "nodes/{node}/versions/{version}"}},
       .auth = kFilesWrite,
       .summary = "Delete a kept version that is not the current one; its bytes go back to "
                  "the quota"},
      {.http_method = "GET",
       .path = "/v1/users/me/retentionPolicy",
       .rpc = metadata("GetRetentionPolicy"),
       .bindings = {{"name", "users/me/retentionPolicy"}},
       .auth = kFilesRead,
       .summary = "How many earlier versions of each file you keep, and for how long"},
      {.http_method = "PATCH",
       .path = "/v1/users/me/retentionPolicy",
       .rpc = metadata("UpdateRetentionPolicy"),
       .bindings = {{"retention_policy.name", "users/me/retentionPolicy"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Change your version retention; versions it no longer keeps go at once, "
                  "their bytes back to the quota"},
      {.http_method = "POST",
       .path = "/v1/uploads/{upload}:commit",
       .rpc = metadata("CommitUpload"),
       .bindings = {{"name", "uploads/{upload}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Make the upload's committed blob a new file; commits its quota"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:issueDownloadGrant",
       .rpc = metadata("IssueDownloadGrant"),
       .bindings = {{"node", "nodes/{node}"}},
       .body = true,
       .auth = kFilesRead,
       .summary = "A READ grant for a version of a file (the head unless one is named)"},
      {.http_method = "POST",
       .path = "/v1/links",
       .rpc = metadata("CreateLink"),
       .body = true,
       .auth = kFilesWrite,
       .summary = "A public link to a node you own (its key goes in the URL's fragment, "
                  "never to the server)"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/links",
       .rpc = metadata("ListLinks"),
       .bindings = {{"owner", "users/{user}"}},
       .auth = kFilesRead,
       .summary = "Your links (pageSize at most 100, default 50; showInactive)"},
      {.http_method = "POST",
       .path = "/v1/links/{link}:revoke",
       .rpc = metadata("RevokeLink"),
       .bindings = {{"name", "links/{link}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Stop a link at once"},
      {.http_method = "GET",
       .path = "/v1/links/{link}",
       .rpc = metadata("ResolveLink"),
       .bindings = {{"name", "links/{link}"}},
       .auth = kLinkReader,
       .summary = "A link and the node it opens, anonymous or with a token (400 "
                  "LINK_INACTIVE when expired or revoked)"},
      {.http_method = "GET",
       .path = "/v1/links/{link}/children",
       .rpc = metadata("ListLinkChildren"),
       .bindings = {{"link", "links/{link}"}},
       .auth = kLinkReader,
       .summary = "The children of a folder inside a link, anonymous or with a token "
                  "(parent, pageSize, pageToken)"},
      {.http_method = "POST",
       .path = "/v1/links/{link}:issueDownloadGrant",
       .rpc = metadata("IssueLinkDownloadGrant"),
       .bindings = {{"link", "links/{link}"}},
       .body = true,
       .auth = kLinkReader,
       .summary = "A READ grant for a file inside the link: anonymous, or with the buyer's "
                  "token for a priced file (400 PAYMENT_REQUIRED without an entitlement)"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}/shares",
       .rpc = metadata("CreateShare"),
       .bindings = {{"node", "nodes/{node}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Share a folder you own with a member: its key sealed to theirs, read or write"},
      {.http_method = "GET",
       .path = "/v1/nodes/{node}/shares",
       .rpc = metadata("ListShares"),
       .bindings = {{"parent", "nodes/{node}"}},
       .auth = kFilesRead,
       .summary = "Whom a folder you own is shared with"},
      {.http_method = "PATCH",
       .path = "/v1/nodes/{node}/shares/{share}",
       .rpc = metadata("UpdateShare"),
       .bindings = {{"name", "nodes/{node}/shares/{share}"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Change a share's role"},
      {.http_method = "DELETE",
       .path = "/v1/nodes/{node}/shares/{share}",
       .rpc = metadata("DeleteShare"),
       .bindings = {{"name", "nodes/{node}/shares/{share}"}},
       .auth = kFilesWrite,
       .summary = "Unshare (owner) or leave (recipient)"},
      {.http_method = "GET",
       .path = "/v1/sharedWithMe",
       .rpc = metadata("ListSharedWithMe"),
       .auth = kFilesRead,
       .summary = "The folders shared with you"},
      // Blobs: the bytes of files, sealed; the Bitcontent-Grant header authorises each call.
      {.http_method = "POST",
       .path = "/v1/uploadSessions",
       .rpc = blobs("BeginUploadSession"),
       .header_bindings = {kGrantHeader},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Declare the chunk layout of the upload session the UPLOAD grant names"},
      {.http_method = "PUT",
       .path = "/v1/uploadSessions/{session}/chunks/{index}",
       .rpc = blobs("PutChunk"),
       .bindings = {{"upload_session", "uploadSessions/{session}"}, {"index", "{index}"}},
       .header_bindings = {kGrantHeader, {.field = "hash", .header = "Bitcontent-Chunk-Hash"}},
       .raw = {.request_field = "data", .body_bytes_max = kChunkBodyBytesMax},
       .auth = kChunkWrite,
       .summary = "Store one sealed chunk (the body), checked against its BLAKE2b-256 "
                  "(Bitcontent-Chunk-Hash, base64)"},
      {.http_method = "GET",
       .path = "/v1/uploadSessions/{session}",
       .rpc = blobs("GetUploadSession"),
       .bindings = {{"name", "uploadSessions/{session}"}},
       .header_bindings = {kGrantHeader},
       .auth = kFilesWrite,
       .summary = "An upload session with the chunks still missing, to resume"},
      {.http_method = "POST",
       .path = "/v1/uploadSessions/{session}:commit",
       .rpc = blobs("CommitUploadSession"),
       .bindings = {{"name", "uploadSessions/{session}"}},
       .header_bindings = {kGrantHeader},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Check every chunk is there and make the blob"},
      {.http_method = "GET",
       .path = "/v1/blobs/{blob}",
       .rpc = blobs("GetBlob"),
       .bindings = {{"name", "blobs/{blob}"}},
       .header_bindings = {kGrantHeader},
       .auth = kPublic,
       .summary = "A blob's layout and manifest hash (READ grant)"},
      {.http_method = "GET",
       .path = "/v1/blobs/{blob}:download",
       .auth = kChunkRead,
       .builtin = Builtin::kBlobDownload,
       .summary = "A blob's ciphertext as one streamed body, whole or one Range of it "
                  "(206, 416), with its READ grant in Bitcontent-Grant"},
      {.http_method = "GET",
       .path = "/v1/blobs/{blob}/chunks/{index}",
       .rpc = blobs("ReadChunk"),
       .bindings = {{"blob", "blobs/{blob}"}, {"index", "{index}"}},
       .header_bindings = {kGrantHeader},
       .raw = {.response_field = "data", .file_response_field = "file"},
       .auth = kChunkRead,
       .summary = "One sealed chunk as the body (READ grant; public links need no token)"},
      {.http_method = "GET",
       .path = "/v1/changes",
       .rpc = metadata("ListChanges"),
       .auth = kFilesRead,
       .summary = "Your change log after since_sequence"},
      {.http_method = "GET",
       .path = "/v1/changes:cursor",
       .rpc = metadata("GetChangeCursor"),
       .auth = kFilesRead,
       .summary = "The newest sequence of your change log"},
      {.http_method = "GET",
       .path = "/v1/status",
       .auth = kPublic,
       .builtin = Builtin::kStatus,
       .summary = "Whether every service behind the gateway is SERVING"},
      {.http_method = "GET",
       .path = "/v1/openapi.json",
       .auth = kPublic,
       .builtin = Builtin::kOpenApi,
       .summary = "This API as an OpenAPI 3.0 document"},
      {.http_method = "GET",
       .path = "/l/{link}",
       .auth = kPublic,
       .builtin = Builtin::kLinkPage,
       .summary = "What a browser opening a public link is shown: how to open it (HTML)"},
      // Public gRPC only (no REST path): what the gRPC listener must treat differently
      // from its service's default.
      {.rpc = accounts("ListTokenSigningKeys"),
       .auth = kPublic,
       .summary = "Public keys that verify access tokens"},
      // Wallet (Bitcache): the member's own wallet.
      {.http_method = "GET",
       .path = "/v1/users/{user}/wallet",
       .rpc = wallet("GetWallet"),
       .bindings = {{"name", "users/{user}/wallet"}},
       .auth = kWalletRead,
       .summary = "The wallet's balances (\"me\" for the caller)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet:pay",
       .rpc = wallet("Pay"),
       .bindings = {{"payer", "users/{user}/wallet"}},
       .body = true,
       .auth = kWalletPay,
       .summary = "Pay another member; idempotent per Idempotency-Key"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/wallet/transactions",
       .rpc = wallet("ListWalletTransactions"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .auth = kWalletRead,
       .summary = "The wallet's history, newest first"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet/depositAddresses",
       .rpc = wallet("CreateDepositAddress"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .body = true,
       .auth = kWalletRead,
       .summary = "A fresh Bitcoin deposit address"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/wallet/depositAddresses",
       .rpc = wallet("ListDepositAddresses"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .auth = kWalletRead,
       .summary = "The wallet's deposit addresses, newest first"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/wallet/deposits",
       .rpc = wallet("ListDeposits"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .auth = kWalletRead,
       .summary = "Deposits seen on chain, confirming or credited"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet/payouts",
       .rpc = wallet("RequestPayout"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .body = true,
       .auth = kSessionOnly,
       .summary = "Request a withdrawal; the amount is held until an operator decides"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/wallet/payouts",
       .rpc = wallet("ListPayouts"),
       .bindings = {{"parent", "users/{user}/wallet"}},
       .auth = kWalletRead,
       .summary = "The wallet's payout requests, newest first"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet/payouts/{payout}:cancel",
       .rpc = wallet("CancelPayout"),
       .bindings = {{"name", "users/{user}/wallet/payouts/{payout}"}},
       .body = true,
       .auth = kSessionOnly,
       .summary = "Withdraw a payout request still waiting for an operator"},
      // Paywall: third-party apps (an API key with paywall:manage, or the owner's
      // session) sell their own resources and receive signed webhooks.
      {.http_method = "POST",
       .path = "/v1/users/{user}/paywallResources",
       .rpc = paywall("CreatePaywallResource"),
       .bindings = {{"parent", "users/{user}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Create a resource to sell; idempotent per Idempotency-Key"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/paywallResources",
       .rpc = paywall("ListPaywallResources"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kPaywallManage,
       .summary = "Your resources, oldest first"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/paywallResources:lookup",
       .rpc = paywall("LookupPaywallResource"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kPaywallManage,
       .summary = "A resource by your app's external id (?externalId=)"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/paywallResources/{resource}",
       .rpc = paywall("GetPaywallResource"),
       .bindings = {{"name", "users/{user}/paywallResources/{resource}"}},
       .auth = kPaywallManage,
       .summary = "A resource"},
      {.http_method = "PATCH",
       .path = "/v1/users/{user}/paywallResources/{resource}",
       .rpc = paywall("UpdatePaywallResource"),
       .bindings = {{"paywall_resource.name", "users/{user}/paywallResources/{resource}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Change title, url, price or split (updateMask in the body; the path names "
                  "the resource, whatever the body's name says)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/paywallResources/{resource}:archive",
       .rpc = paywall("ArchivePaywallResource"),
       .bindings = {{"name", "users/{user}/paywallResources/{resource}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Stop new purchases; earlier buyers keep their entitlements"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/webhookEndpoints",
       .rpc = paywall("CreateWebhookEndpoint"),
       .bindings = {{"parent", "users/{user}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Register a webhook endpoint; the answer shows its secret, once"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/webhookEndpoints",
       .rpc = paywall("ListWebhookEndpoints"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kPaywallManage,
       .summary = "Your webhook endpoints (secrets never shown)"},
      {.http_method = "PATCH",
       .path = "/v1/users/{user}/webhookEndpoints/{endpoint}",
       .rpc = paywall("UpdateWebhookEndpoint"),
       .bindings = {{"webhook_endpoint.name", "users/{user}/webhookEndpoints/{endpoint}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Change url, event types, state or description (updateMask in the body; "
                  "the path names the endpoint, whatever the body's name says)"},
      {.http_method = "DELETE",
       .path = "/v1/users/{user}/webhookEndpoints/{endpoint}",
       .rpc = paywall("DeleteWebhookEndpoint"),
       .bindings = {{"name", "users/{user}/webhookEndpoints/{endpoint}"}},
       .auth = kPaywallManage,
       .summary = "Delete an endpoint; its pending deliveries are dropped"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/webhookEndpoints/{endpoint}:rotateSecret",
       .rpc = paywall("RotateWebhookSecret"),
       .bindings = {{"name", "users/{user}/webhookEndpoints/{endpoint}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "A new signing secret; the old one keeps signing for 24 h"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/webhookEndpoints/{endpoint}/deliveries",
       .rpc = paywall("ListWebhookDeliveries"),
       .bindings = {{"parent", "users/{user}/webhookEndpoints/{endpoint}"}},
       .auth = kPaywallManage,
       .summary = "Deliveries to an endpoint, newest first (?state=)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/webhookEndpoints/{endpoint}/deliveries/{delivery}:redeliver",
       .rpc = paywall("RedeliverWebhook"),
       .bindings = {{"name", "users/{user}/webhookEndpoints/{endpoint}/deliveries/{delivery}"}},
       .body = true,
       .auth = kPaywallManage,
       .summary = "Attempt a delivery again now (same delivery id, marked as a redelivery)"},
      // Pricing: creators price their files; buyers quote, pay once, get the file key
      // re-sealed to them, and keep receipts anyone can verify offline (GET /v1/keys).
      {.http_method = "PUT",
       .path = "/v1/nodes/{node}/price",
       .rpc = pricing("SetPrice"),
       .bindings = {{"price.name", "nodes/{node}/price"}},
       .body = true,
       .auth = kFilesWrite,
       .summary = "Put a file you own on sale or change its terms (price, split, title); the "
                  "first paid price carries the file key sealed to pricing's escrow key"},
      {.http_method = "GET",
       .path = "/v1/nodes/{node}/price",
       .rpc = pricing("GetPrice"),
       .bindings = {{"name", "nodes/{node}/price"}},
       .auth = kPublicOrMember,
       .summary = "A file's price and split, for buyers before they pay (404 when free); to "
                  "its seller, also which members of the split cannot be paid now"},
      {.http_method = "DELETE",
       .path = "/v1/nodes/{node}/price",
       .rpc = pricing("DeletePrice"),
       .bindings = {{"name", "nodes/{node}/price"}},
       .auth = kFilesWrite,
       .summary = "Withdraw a file from sale and drop its escrowed key; buyers keep their "
                  "entitlements"},
      {.http_method = "POST",
       .path = "/v1/quotes",
       .rpc = pricing("CreateQuote"),
       .body = true,
       .auth = kWalletPay,
       .summary = "A signed quote for a subject (nodes/{node} or a paywall resource): amount, "
                  "exact split, expiry"},
      {.http_method = "POST",
       .path = "/v1/purchases",
       .rpc = pricing("CreatePurchase"),
       .body = true,
       .auth = kWalletPay,
       .summary = "Pay a quote, or buy a subject at its terms now (with Idempotency-Key), as "
                  "one linked ledger chain; idempotent per buyer and quote or key; 400 "
                  "INSUFFICIENT_FUNDS or QUOTE_EXPIRED move nothing"},
      {.http_method = "GET",
       .path = "/v1/purchases/{purchase}",
       .rpc = pricing("GetPurchase"),
       .bindings = {{"name", "purchases/{purchase}"}},
       .auth = kWalletRead,
       .summary = "One of your purchases, or a sale of yours"},
      {.http_method = "GET",
       .path = "/v1/purchases/{purchase}/receipt",
       .rpc = pricing("GetReceipt"),
       .bindings = {{"purchase", "purchases/{purchase}"}},
       .auth = kWalletRead,
       .summary = "A purchase's signed receipt (compact JWS) and its decoded payload"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/purchases",
       .rpc = pricing("ListPurchases"),
       .bindings = {{"buyer", "users/{user}"}},
       .auth = kWalletRead,
       .summary = "Your purchases, newest first (pageSize at most 100, default 50)"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/entitlements",
       .rpc = pricing("ListEntitlements"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kFilesRead,
       .summary = "What you may download again without paying, newest first (subject, "
                  "pageSize at most 100)"},
      {.http_method = "POST",
       .path = "/v1/nodes/{node}:releaseFileKey",
       .rpc = pricing("ReleaseFileKey"),
       .bindings = {{"node", "nodes/{node}"}},
       .body = true,
       .auth = kFilesRead,
       .summary = "A bought file's key sealed to your X25519 public key (400 PAYMENT_REQUIRED "
                  "without an entitlement)"},
      {.http_method = "POST",
       .path = "/v1/receipts:verify",
       .rpc = pricing("VerifyReceipt"),
       .body = true,
       .auth = kPublic,
       .summary = "Check a receipt token online (offline: its kid's KEY_PURPOSE_RECEIPT key "
                  "from GET /v1/keys)"},
      {.http_method = "GET",
       .path = "/v1/users/{user}/earnings",
       .rpc = pricing("ListEarnings"),
       .bindings = {{"parent", "users/{user}"}},
       .auth = kEarningsRead,
       .summary = "Your earnings per subject and period (timeRange.startTime, "
                  "timeRange.endTime, granularity, subject; pageSize at most 1000)"},
      {.http_method = "GET",
       .path = "/v1/fiatRates",
       .rpc = pricing("GetFiatRates"),
       .auth = kPublic,
       .summary = "The operator's display rates from bitcoin to fiat currencies"},
      // Public gRPC only: over REST, GET /v1/keys lists these with every other key.
      {.rpc = pricing("ListPricingKeys"),
       .auth = kPublic,
       .summary = "Pricing's escrow, quote and receipt public keys"},
      // Pricing: operators.
      {.http_method = "GET",
       .path = "/v1/pricingSettings",
       .rpc = pricing_admin("GetPricingSettings"),
       .auth = kOperatorOnly,
       .summary = "Platform fee, display rates and quote lifetime (operators)"},
      {.http_method = "PATCH",
       .path = "/v1/pricingSettings",
       .rpc = pricing_admin("UpdatePricingSettings"),
       .bindings = {{"pricing_settings.name", "pricingSettings"}},
       .body = true,
       .auth = kOperatorOnly,
       .summary = "Change the fields named in updateMask; new quotes use them at once "
                  "(operators)"},
      // Wallet: operators.
      {.http_method = "GET",
       .path = "/v1/payouts",
       .rpc = wallet_admin("SearchPayouts"),
       .auth = kOperatorOnly,
       .summary = "Every member's payouts by state, oldest first (operators)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet/payouts/{payout}:approve",
       .rpc = wallet_admin("ApprovePayout"),
       .bindings = {{"name", "users/{user}/wallet/payouts/{payout}"}},
       .body = true,
       .auth = kOperatorOnly,
       .summary = "Record the broadcast txid and settle the hold (operators)"},
      {.http_method = "POST",
       .path = "/v1/users/{user}/wallet/payouts/{payout}:reject",
       .rpc = wallet_admin("RejectPayout"),
       .bindings = {{"name", "users/{user}/wallet/payouts/{payout}"}},
       .body = true,
       .auth = kOperatorOnly,
       .summary = "Refuse a payout; the hold goes back to the member (operators)"},
      {.http_method = "GET",
       .path = "/v1/ledger/totals",
       .rpc = wallet_admin("GetLedgerTotals"),
       .auth = kOperatorOnly,
       .summary = "The ledger's totals: debits equal credits (operators)"},
      {.http_method = "GET",
       .path = "/v1/chainWatcher",
       .rpc = wallet_admin("GetChainWatcherStatus"),
       .auth = kOperatorOnly,
       .summary = "The Bitcoin chain watcher's cursor and counters (operators)"},
  };
}

}  // namespace

const std::vector<Route>& Routes() {
  static const auto* routes = new std::vector<Route>(BuildRoutes());
  return *routes;
}

std::string DescriptorNameOf(absl::string_view rpc) {
  if (absl::StartsWith(rpc, "/")) rpc.remove_prefix(1);
  return absl::StrReplaceAll(rpc, {{"/", "."}});
}

absl::StatusOr<MethodExposure> ExposureOf(absl::string_view rpc, const std::vector<Route>& routes) {
  // "/bitcontent.<backend>.v1.<Service>/<Method>"
  const auto not_exposed = [&](absl::string_view why) {
    return absl::NotFoundError(absl::StrCat(rpc, " is not exposed by the gateway: ", why));
  };
  if (!absl::ConsumePrefix(&rpc, "/bitcontent.")) return not_exposed("not a BitContent method");
  const size_t dot = rpc.find('.');
  const size_t slash = rpc.find('/');
  if (dot == absl::string_view::npos || slash == absl::string_view::npos || slash < dot ||
      !absl::StartsWith(rpc.substr(dot), ".v1.")) {
    return not_exposed("malformed method name");
  }
  const absl::string_view backend = rpc.substr(0, dot);
  const absl::string_view service = rpc.substr(dot + 4, slash - dot - 4);
  const std::string full = absl::StrCat("/bitcontent.", rpc);
  for (const Route& route : routes) {
    if (route.rpc == full) {
      return MethodExposure{std::string(backend), route.auth};
    }
  }
  if (absl::EndsWith(service, "InternalService")) return not_exposed("internal to the suite");
  if (backend == "common") return not_exposed("not a public API");
  if (absl::EndsWith(service, "AdminService")) {
    return MethodExposure{std::string(backend), {.access = Access::kOperator}};
  }
  return MethodExposure{std::string(backend), kSessionOnly};
}

void LinkContracts() {
  // Taking each file's descriptor pulls its object file (and those it imports) into the
  // link; the pool then finds every service and message the routes name.
  (void)accounts::v1::SignUpRequest::descriptor();
  (void)accounts::v1::LegacyAccount::descriptor();
  (void)gateway::v1::ListPublicKeysRequest::descriptor();
  (void)metadata::v1::CreateRootNodeRequest::descriptor();
  (void)blobs::v1::PutChunkRequest::descriptor();
  (void)blobs::v1::Provider::descriptor();
  (void)wallet::v1::GetWalletRequest::descriptor();
  (void)wallet::v1::SearchPayoutsRequest::descriptor();
  (void)pricing::v1::SetPriceRequest::descriptor();
  (void)pricing::v1::CreatePaywallResourceRequest::descriptor();
  (void)pricing::v1::PricingSettings::descriptor();
  (void)streaming::v1::OpenStreamRequest::descriptor();
}

}  // namespace bitcontent::gateway
