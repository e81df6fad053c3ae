import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { HDNodeWallet, Mnemonic, Transaction, hexlify, randomBytes, type Wallet } from "ethers";
import { createLogger } from "../../shared/logger";
import { encodeCurrency } from "../../shared/trade-codes";
import { createApp } from "../../server/app";
import { listen } from "../../server/index";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { startAppOver, startTestSystem, type TestSystem } from "../support/system";
import { request as send, type Answer } from "../support/sign-in";
import { databaseKind } from "../support/database";

/** The hardhat node's default accounts; the API never sees these keys, only what they sign. */
const HARDHAT_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
const random32 = () => hexlify(randomBytes(32));
const DAY = 86_400;


describe(`writes through the API: prepare, sign, relay (${databaseKind})`, () => {
  let system: TestSystem;
  let closeApp: (() => Promise<void>) | undefined;
  let baseUrl: string;
  let members: Record<DemoMemberKey, string>;
  const wallets = new Map<DemoMemberKey, Wallet | HDNodeWallet>();

  const request = (path: string, init?: RequestInit): Promise<Answer> => send(baseUrl + path, init);
  /** As the regulator unless a member's credential is given: a signed transaction is relayed whoever sends it. */
  const post = async (path: string, body: unknown, credential?: Record<string, string>) =>
    request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(credential ?? (await system.as("regulator"))) },
      body: JSON.stringify(body),
    });
  const get = async (path: string) => request(path, { headers: await system.as("regulator") });

  const wallet = (key: DemoMemberKey) => wallets.get(key)!;
  const pendingNonce = (key: DemoMemberKey) => system.chain.provider.getTransactionCount(members[key], "pending");

  const prepare = async (key: DemoMemberKey, contract: string, fn: string, args: Record<string, unknown>) =>
    post("/api/v1/transactions/prepare", { contract, function: fn, args, from: members[key] }, await system.as(key));

  /** Signs what prepare answered, as a member's wallet or core system would: nothing but the prepared fields. */
  const sign = (key: DemoMemberKey, prepared: any) =>
    wallet(key).signTransaction({
      type: prepared.type,
      chainId: prepared.chainId,
      to: prepared.to,
      data: prepared.data,
      value: BigInt(prepared.value),
      nonce: prepared.nonce,
      gasLimit: BigInt(prepared.gasLimit),
      ...(prepared.type === 2
        ? { maxFeePerGas: BigInt(prepared.maxFeePerGas), maxPriorityFeePerGas: BigInt(prepared.maxPriorityFeePerGas) }
        : { gasPrice: BigInt(prepared.gasPrice) }),
    });

  const relay = (signedTransaction: string, query = "") => post(`/api/v1/transactions${query}`, { signedTransaction });

  /** prepare + sign + relay, expecting success; answers the outcome. */
  async function act(key: DemoMemberKey, contract: string, fn: string, args: Record<string, unknown>) {
    const prepared = await prepare(key, contract, fn, args);
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(200);
    const sent = await relay(await sign(key, prepared.body));
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ status: "success", from: members[key], contract, to: prepared.body.to });
    return sent.body;
  }
  const eventArgs = (outcome: any, name: string) => {
    const event = outcome.events.find((e: any) => e.name === name);
    expect(event, `${name} in ${JSON.stringify(outcome.events)}`).toBeDefined();
    return event.args;
  };
  const chainTime = async () => (await system.chain.provider.getBlock("latest"))!.timestamp;

  /** A fresh receivable from the parts maker to the auto maker, registered and confirmed through the API. */
  async function confirmedReceivable(faceValue: bigint) {
    const registered = await act("partsMaker", "Receivables", "register", {
      debtor: members.autoMaker,
      faceValue: faceValue.toString(),
      currency: encodeCurrency("CNY"),
      dueDate: (await chainTime()) + 60 * DAY,
      graceSeconds: 7 * DAY,
      invoiceHash: random32(),
      documentHash: random32(),
    });
    const id = eventArgs(registered, "ReceivableRegistered").receivableId as string;
    await act("autoMaker", "Receivables", "confirm", { receivableId: id });
    return id;
  }

  beforeAll(async () => {
    system = await startTestSystem();
    members = Object.fromEntries(
      Object.entries(system.demo.members).map(([key, address]) => [key, address.toLowerCase()]),
    ) as Record<DemoMemberKey, string>;
    for (const { key } of DEMO_MEMBERS) {
      const index = signerIndexOf(key);
      const hd = HDNodeWallet.fromMnemonic(HARDHAT_MNEMONIC, `m/44'/60'/0'/0/${index}`);
      expect(hd.address).toBe((await system.chain.signer(index)).address);
      wallets.set(key, hd);
    }
    const app = await startAppOver(system);
    baseUrl = app.baseUrl;
    closeApp = app.close;
  });
  afterAll(async () => {
    await closeApp?.();
    await system?.stop();
  });

  it("runs the whole receivable story through the API only, and the read API shows it", async () => {
    const face = 8_000_000n;
    const registered = await act("partsMaker", "Receivables", "register", {
      debtor: members.autoMaker,
      faceValue: face.toString(),
      currency: encodeCurrency("CNY"),
      dueDate: (await chainTime()) + 90 * DAY,
      graceSeconds: 7 * DAY,
      invoiceHash: random32(),
      documentHash: random32(),
    });
    const registration = eventArgs(registered, "ReceivableRegistered");
    const id = registration.receivableId as string;
    expect(id).toMatch(/^\d+$/);
    expect(registered.blockNumber).toBeGreaterThan(0);
    expect(BigInt(registered.gasUsed)).toBeGreaterThan(0n);

    const confirmed = await act("autoMaker", "Receivables", "confirm", { receivableId: id });
    expect(eventArgs(confirmed, "ReceivableConfirmed")).toEqual({ receivableId: id, debtor: members.autoMaker });

    const transferred = await act("partsMaker", "Receivables", "safeTransferFrom", {
      from: members.partsMaker, to: members.steelMill, id, value: "3000000", data: "0x",
    });
    expect(eventArgs(transferred, "TransferSingle")).toMatchObject({ from: members.partsMaker, to: members.steelMill, id, value: "3000000" });

    const offered = await act("steelMill", "Receivables", "offerSale", {
      receivableId: Number(id), financier: members.bank, amount: "2000000", price: "1950000",
    });
    const saleId = eventArgs(offered, "SaleOffered").saleId as string;
    const sold = await act("bank", "Receivables", "acceptSale", { saleId });
    expect(eventArgs(sold, "ReceivableSold")).toMatchObject({ saleId, receivableId: id });

    const paid = await act("autoMaker", "Receivables", "recordPayment", {
      receivableId: id, amount: face.toString(), referenceHash: random32(),
    });
    expect(eventArgs(paid, "PaymentRecorded")).toMatchObject({ receivableId: id });

    await system.sync();
    const res = await get(`/api/v1/receivables/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: Number(id),
      creditor: { address: members.partsMaker },
      debtor: { address: members.autoMaker },
      faceValue: face.toString(),
      status: "confirmed",
      paid: face.toString(),
      outstanding: "0",
    });
    const holdings = Object.fromEntries(res.body.holdings.map((h: any) => [h.holder.address, h.amount]));
    expect(holdings).toEqual({ [members.partsMaker]: "5000000", [members.steelMill]: "1000000", [members.bank]: "2000000" });
    expect(res.body.sales).toEqual([expect.objectContaining({ id: Number(saleId), status: "sold", amount: "2000000", price: "1950000" })]);
  });

  it("answers a revert at prepare as 422 with the custom error, its named arguments and a sentence", async () => {
    const id = await confirmedReceivable(1_000_000n);
    await act("partsMaker", "Receivables", "earmark", { receivableId: id, amount: "400000" });
    // Selling more than is free of lots: InsufficientFreeAmount.
    const res = await prepare("partsMaker", "Receivables", "offerSale", {
      receivableId: id, financier: members.bank, amount: "700000", price: "690000",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("CONTRACT_REVERT");
    expect(res.body.error.details).toEqual({
      error: "InsufficientFreeAmount",
      args: { receivableId: id, holder: members.partsMaker, requested: "700000", free: "600000" },
      signature: "InsufficientFreeAmount(uint256,address,uint256,uint256)",
    });
    expect(res.body.error.message).toContain(`has 600000 minor units of receivable ${id} free (not earmarked), less than the 700000 requested`);
    // Transferring it: the ERC-1155 transfer names the earmarked amount.
    const transfer = await prepare("partsMaker", "Receivables", "safeTransferFrom", {
      from: members.partsMaker, to: members.steelMill, id, value: "700000", data: "0x",
    });
    expect(transfer.status).toBe(422);
    expect(transfer.body.error.details).toMatchObject({ error: "AmountEarmarked", args: { receivableId: id, holder: members.partsMaker, earmarked: "400000" } });
    expect(transfer.body.error.message).toContain("is earmarked in lots and cannot move (AmountEarmarked)");
    expect(res.body.error.message).toContain("(InsufficientFreeAmount)");
  });

  it("prepares a complete transaction to sign, described", async () => {
    const id = await confirmedReceivable(500_000n);
    const res = await prepare("partsMaker", "Receivables", "earmark", { receivableId: id, amount: 100_000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      chainId: system.chain.deployment.chainId,
      from: members.partsMaker,
      to: system.chain.deployment.contracts.Receivables.toLowerCase(),
      value: "0",
      nonce: await pendingNonce("partsMaker"),
      function: "earmark(uint256,uint96)",
      description: `Receivables.earmark(receivableId: "${id}", amount: 100000)`,
    });
    expect(BigInt(res.body.gasLimit)).toBeGreaterThan(BigInt(res.body.gasEstimate));
    expect(res.body.data.slice(0, 10)).toBe(system.chain.contracts.receivables.interface.getFunction("earmark")!.selector);
    const outcome = await relay(await sign("partsMaker", res.body));
    expect(eventArgs(outcome.body, "LotEarmarked")).toMatchObject({ receivableId: id, holder: members.partsMaker, amount: "100000" });
  });

  it("answers a revert at relay as 422 and sends nothing: the signer's nonce does not move", async () => {
    const id = await confirmedReceivable(700_000n);
    // A transaction the contract refuses, signed by hand (prepare would refuse it): the steel mill
    // confirms a receivable whose debtor is the auto maker.
    const nonce = await pendingNonce("steelMill");
    const prepared = await prepare("steelMill", "Receivables", "setApprovalForAll", { operator: members.bank, approved: false });
    expect(prepared.status).toBe(200);
    const data = system.chain.contracts.receivables.interface.encodeFunctionData("confirm", [id]);
    const signed = await sign("steelMill", { ...prepared.body, data, gasLimit: "200000" });
    const res = await relay(signed);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("CONTRACT_REVERT");
    expect(res.body.error.details).toMatchObject({
      error: "NotDebtor",
      args: { receivableId: id, caller: members.steelMill, debtor: members.autoMaker },
    });
    expect(res.body.error.message).toContain(`the debtor of receivable ${id} is`);
    expect(await pendingNonce("steelMill")).toBe(nonce);
    const hash = Transaction.from(signed).hash!;
    expect((await get(`/api/v1/transactions/${hash}`)).status).toBe(404);
  });

  it("names every bad field", async () => {
    const problems = async (body: unknown) => {
      const res = await post("/api/v1/transactions/prepare", body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      return Object.fromEntries(res.body.error.details.map((p: { field: string; message: string }) => [p.field, p.message]));
    };
    const from = members.partsMaker;
    const transfer = await problems({
      contract: "Receivables", function: "safeTransferFrom", from,
      args: { from: "0x1234", to: members.steelMill, id: "-1", value: (1n << 256n).toString(), data: "0x1", extra: 1 },
    });
    expect(transfer).toEqual({
      "body.args.extra": expect.stringContaining("is not a parameter of safeTransferFrom(address,address,uint256,uint256,bytes)"),
      "body.args.from": "must be a 0x-prefixed 20-byte hex address",
      "body.args.id": expect.stringContaining("must be an unsigned integer below 2^256"),
      "body.args.value": expect.stringContaining("must be an unsigned integer below 2^256"),
      "body.args.data": "must be 0x-prefixed hex bytes",
    });
    const amount = await problems({ contract: "Receivables", function: "earmark", from, args: { receivableId: 1, amount: (1n << 96n).toString() } });
    expect(amount).toEqual({ "body.args.amount": "must be an unsigned integer below 2^96 (a decimal string or a safe integer)" });
    expect(await problems({ contract: "Receivables", function: "earmark", from, args: { receivableId: 1.5 } })).toEqual({
      "body.args.receivableId": expect.stringContaining("must be an unsigned integer"),
      "body.args.amount": "is required (uint96 amount)",
    });
    expect(Object.keys(await problems({ contract: "Receivables", function: "steal", from, args: {} }))).toEqual(["body.function"]);
    const hook = await problems({ contract: "Receivables", function: "lock", from, args: { lotId: 1 } });
    expect(hook["body.function"]).toContain("is called only by the LienRegistry contract");
    const ledgerHook = await problems({ contract: "ProvenanceLedger", function: "lockForReceipt", from, args: {} });
    expect(ledgerHook["body.function"]).toContain("WarehouseReceipt contract");
    expect((await problems({ contract: "Receivables", function: "balanceOf", from, args: {} }))["body.function"]).toContain("only reads");
    expect(Object.keys(await problems({ contract: "Bank", function: "confirm", from: "nobody", args: {} })).sort()).toEqual(["body.contract", "body.from"]);
    // Structs are objects by field name; each bad field is named by its path.
    const terms = await problems({
      contract: "LienRegistry", function: "offer", from,
      args: { terms: { collateral: members.bank, collateralId: "1", borrower: from, financier: "bank", principal: "1", currency: "CNY", maturity: 1, rateBps: 1, marginCallLtvBps: 1, offerExpiresAt: 1 } },
    });
    expect(terms).toEqual({
      "body.args.terms.financier": "must be a 0x-prefixed 20-byte hex address",
      "body.args.terms.currency": "must be a 0x-prefixed 3-byte hex value",
      "body.args.terms.salt": "is required (bytes32 salt)",
    });
    // An overloaded function by signature.
    const overloaded = await problems({ contract: "WarehouseReceipt", function: "safeTransferFrom", from, args: { from } });
    expect(overloaded["body.function"]).toContain("safeTransferFrom(address,address,uint256)");
  });

  it("refuses a signed transaction for another chain, to a foreign address, or unsigned", async () => {
    const prepared = (await prepare("partsMaker", "Receivables", "setApprovalForAll", { operator: members.bank, approved: false })).body;
    const refused = async (signedTransaction: string) => {
      const res = await relay(signedTransaction);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.map((p: { field: string }) => p.field)).toEqual(["body.signedTransaction"]);
      return res.body.error.message as string;
    };
    expect(await refused(await sign("partsMaker", { ...prepared, chainId: 1 }))).toContain("is signed for chain id 1");
    expect(await refused(await sign("partsMaker", { ...prepared, to: members.bank }))).toContain("not to one of the deployment's contracts");
    const unsigned = Transaction.from({
      type: 2, chainId: prepared.chainId, to: prepared.to, data: prepared.data, nonce: prepared.nonce, gasLimit: prepared.gasLimit,
      maxFeePerGas: prepared.maxFeePerGas, maxPriorityFeePerGas: prepared.maxPriorityFeePerGas,
    }).unsignedSerialized;
    expect(await refused(unsigned)).toContain("is not signed");
    expect(await refused("0x1234")).toContain("is not a serialized transaction");
    expect((await relay("not hex")).status).toBe(400);
    expect(await pendingNonce("partsMaker")).toBe(prepared.nonce);
  });

  it("relays a signed transaction once however often it is sent, and answers the same outcome", async () => {
    const id = await confirmedReceivable(900_000n);
    const nonce = await pendingNonce("partsMaker");
    const prepared = await prepare("partsMaker", "Receivables", "earmark", { receivableId: id, amount: "400000" });
    const signed = await sign("partsMaker", prepared.body);
    const [first, second] = await Promise.all([relay(signed), relay(signed)]);
    const third = await relay(signed);
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 200, body: first.body });
    expect(third).toMatchObject({ status: 200, body: first.body });
    expect(eventArgs(first.body, "LotEarmarked").amount).toBe("400000");
    expect(await pendingNonce("partsMaker")).toBe(nonce + 1);
    await system.sync();
    const lots = (await get(`/api/v1/receivables/${id}`)).body.lots;
    expect(lots).toHaveLength(1);
    expect((await get(`/api/v1/transactions/${first.body.hash}`)).body).toEqual(first.body);
  });

  it("answers 409 for another transaction that reuses a spent nonce, and sends nothing", async () => {
    const prepared = (await prepare("bank", "Receivables", "setApprovalForAll", { operator: members.steelMill, approved: false })).body;
    const first = await relay(await sign("bank", prepared));
    expect(first.status).toBe(200);
    const nonce = await pendingNonce("bank");
    const other = await relay(await sign("bank", { ...prepared, gasLimit: String(BigInt(prepared.gasLimit) + 1n) }));
    expect(other.status, JSON.stringify(other.body)).toBe(409);
    expect(other.body.error).toMatchObject({ code: "CONFLICT", details: { from: members.bank, nonce: prepared.nonce } });
    expect(await pendingNonce("bank")).toBe(nonce);
  });

  it("with wait=0 answers 202 with the hash; GET /transactions/:hash gives the outcome", async () => {
    const id = await confirmedReceivable(300_000n);
    const prepared = await prepare("autoMaker", "Receivables", "appointPaymentAgent", { receivableId: id, agent: members.bank });
    const res = await relay(await sign("autoMaker", prepared.body), "?wait=0");
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "pending", blockNumber: null, gasUsed: null, events: [], contract: "Receivables" });
    expect(res.body.hash).toMatch(/^0x[0-9a-f]{64}$/);
    const later = await get(`/api/v1/transactions/${res.body.hash}`);
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ hash: res.body.hash, status: "success", from: members.autoMaker });
    expect(eventArgs(later.body, "PaymentAgentAppointed")).toEqual({ receivableId: id, debtor: members.autoMaker, agent: members.bank });
    expect((await get(`/api/v1/transactions/0x${"ab".repeat(32)}`)).status).toBe(404);
    expect((await get("/api/v1/transactions/0x12")).status).toBe(400);
    expect((await relay("0x00", "?wait=121")).body.error.details.map((p: { field: string }) => p.field)).toContain("query.wait");
  });

  it("answers a transaction mined but reverted as 422 with the reason replayed at its block", async () => {
    const id = await confirmedReceivable(200_000n);
    const prepared = (await prepare("steelMill", "Receivables", "setApprovalForAll", { operator: members.bank, approved: false })).body;
    const data = system.chain.contracts.receivables.interface.encodeFunctionData("confirm", [id]);
    // Sent straight to the node, past the API's simulation: the node mines it and it reverts.
    const signed = await sign("steelMill", { ...prepared, data, gasLimit: "200000" });
    await system.chain.rpc("eth_sendRawTransaction", [signed]).catch(() => undefined);
    const hash = Transaction.from(signed).hash!;
    const res = await get(`/api/v1/transactions/${hash}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({
      error: "NotDebtor",
      args: { receivableId: id, caller: members.steelMill, debtor: members.autoMaker },
      transaction: { hash, status: "reverted", events: [] },
    });
    // Relaying it again does not send it again: it answers the same revert.
    const again = await relay(signed);
    expect(again.status).toBe(422);
    expect(again.body.error.details.transaction.hash).toBe(hash);
  });

  it("answers as the OpenAPI document describes, under the Transactions tag", async () => {
    const doc = (await get("/openapi.json")).body;
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "tags", "example", "discriminator", "xml", "externalDocs"]);
    const id = "https://tracefin.test/openapi.json";
    ajv.addSchema({ ...doc, $id: id });
    const operations = {
      prepareTransaction: doc.paths["/api/v1/transactions/prepare"].post,
      relayTransaction: doc.paths["/api/v1/transactions"].post,
      getTransaction: doc.paths["/api/v1/transactions/{hash}"].get,
    };
    for (const [operationId, operation] of Object.entries(operations)) {
      expect(operation).toMatchObject({ operationId, tags: ["Transactions"] });
      expect(operation.description).toContain("sign");
    }
    const pathOf: Record<string, string> = {
      prepareTransaction: "/api/v1/transactions/prepare~post",
      relayTransaction: "/api/v1/transactions~post",
      getTransaction: "/api/v1/transactions/{hash}~get",
    };
    const expectDocumented = (operationId: keyof typeof operations, res: Answer) => {
      const status = String(res.status);
      expect(operations[operationId].responses[status], `${operationId} ${res.status}`).toBeDefined();
      const [path, method] = pathOf[operationId].split("~");
      const pointer = ["paths", path, method, "responses", status, "content", "application/json", "schema"]
        .map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1"))
        .join("/");
      const validate = ajv.getSchema(`${id}#/${pointer}`)!;
      expect(validate(res.body), `${operationId} ${res.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };

    const receivableId = await confirmedReceivable(100_000n);
    const prepared = await prepare("partsMaker", "Receivables", "earmark", { receivableId, amount: "1000" });
    expectDocumented("prepareTransaction", prepared);
    const signed = await sign("partsMaker", prepared.body);
    const sent = await relay(signed);
    expectDocumented("relayTransaction", sent);
    expectDocumented("getTransaction", await get(`/api/v1/transactions/${sent.body.hash}`));
    const next = await prepare("partsMaker", "Receivables", "earmark", { receivableId, amount: "1000" });
    const pending = await relay(await sign("partsMaker", next.body), "?wait=0");
    expect(pending.status).toBe(202);
    expectDocumented("relayTransaction", pending);
    expectDocumented("prepareTransaction", await prepare("partsMaker", "Receivables", "earmark", { receivableId, amount: "1000000" }));
    expectDocumented("prepareTransaction", await prepare("partsMaker", "Receivables", "earmark", { receivableId }));
    expectDocumented("relayTransaction", await relay(signed.slice(0, 20)));
    expectDocumented("getTransaction", await get(`/api/v1/transactions/0x${"cd".repeat(32)}`));
  });

  it("answers 503 when the app has no chain node or deployment", async () => {
    const { app } = createApp({ db: system.database.db, logger: createLogger("test", "silent") });
    const bare = await listen(app, "127.0.0.1", 0);
    try {
      const url = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;
      const credential = await system.as("autoMaker");
      const res = await fetch(`${url}/api/v1/transactions/prepare`, {
        method: "POST",
        headers: { "content-type": "application/json", ...credential },
        body: JSON.stringify({ contract: "Receivables", function: "confirm", args: { receivableId: 1 }, from: members.autoMaker }),
      });
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: unknown };
      expect(body.error).toMatchObject({ code: "NOT_READY", message: "writes need RPC_URL and the deployment" });
      expect((await fetch(`${url}/api/v1/transactions/0x${"ab".repeat(32)}`, { headers: credential })).status).toBe(503);
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});
