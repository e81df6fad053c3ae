import { HDNodeWallet, Mnemonic } from "ethers";
import { formatSiweMessage, type SiweMessage } from "../../server/auth/siwe-message";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";

/**
 * Real sign-in for HTTP tests: the hardhat node's default accounts sign EIP-4361 messages with their
 * keys, exactly as a member's wallet would. Account 0 is the MemberRegistry admin, 1.. the demo's
 * members in DEMO_MEMBERS order (startTestSystem admits them so).
 */
export const HARDHAT_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

export const walletAt = (index: number) => HDNodeWallet.fromMnemonic(HARDHAT_MNEMONIC, `m/44'/60'/0'/0/${index}`);
export const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
/** The wallet of a demo member. */
export const demoWallet = (key: DemoMemberKey) => walletAt(signerIndexOf(key));

export type Answer = { status: number; body: any; headers: Headers };

/** Anything that signs messages with a key: an ethers Wallet, an HD wallet, a managed key. */
export type MessageSigner = Pick<HDNodeWallet, "address" | "signMessage">;

/** A fetch that answers the status, the body (parsed when it is JSON, else text) and the headers. */
export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body, headers: response.headers };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The API to sign in to: its base URL and the domain and chain id its sign-in messages must name. */
export interface SignInTarget {
  baseUrl: string;
  domain: string;
  chainId: number;
}

/** A message as a wallet library writes it, with a fresh nonce from the API unless overridden. */
export async function siweMessageFor(target: SignInTarget, signer: MessageSigner, overrides: Partial<SiweMessage> = {}): Promise<string> {
  const nonce = overrides.nonce ?? (await request(`${target.baseUrl}/api/v1/auth/nonce`)).body.nonce;
  return formatSiweMessage({
    domain: target.domain,
    address: signer.address,
    statement: "Sign in to TraceFin.",
    uri: `https://${target.domain}/console`,
    version: "1",
    chainId: target.chainId,
    nonce,
    issuedAt: new Date().toISOString(),
    ...overrides,
  });
}

/** POST /api/v1/auth/sign-in with a message signed by `signer`; answers the raw answer. */
export async function signIn(target: SignInTarget, signer: MessageSigner, overrides: Partial<SiweMessage> = {}): Promise<Answer> {
  const message = await siweMessageFor(target, signer, overrides);
  return request(`${target.baseUrl}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, signature: await signer.signMessage(message) }),
  });
}

/** A session token of `signer`; throws when sign-in is refused. */
export async function tokenOf(target: SignInTarget, signer: MessageSigner): Promise<string> {
  const answer = await signIn(target, signer);
  if (answer.status !== 200) throw new Error(`sign-in of ${signer.address} refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token;
}

/** Issues an API key of `scope` to the member `token` belongs to; answers the key (shown once). */
export async function apiKeyOf(target: SignInTarget, token: string, member: string, scope: "read" | "read-write"): Promise<string> {
  const answer = await request(`${target.baseUrl}/api/v1/members/${member.toLowerCase()}/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(token) },
    body: JSON.stringify({ name: `test ${scope} key`, scope }),
  });
  if (answer.status !== 200) throw new Error(`API key for ${member} refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.key;
}
