import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ContractTransactionResponse } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDeployment } from "../../shared/chain/deployments";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { ROLES } from "../../shared/roles";
import { startTestChain, type TestChain } from "../support/chain";
import { accounts, cliHarness, TX, writeFile } from "./harness";

/** 0 admin, 1 orchard (creditor), 2 juice plant (debtor), 3 bank, 4 tier-2, 5 tier-3, 6 regulator, 7 outsider (not a member). */
const [, orchard, juicePlant, bank, tier2, tier3, regulator, outsider] = accounts;
const LOAN_ID = "0x[0-9a-f]{64}";
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const wait = async (tx: Promise<ContractTransactionResponse>) => (await tx).wait();

// Every step runs the CLI as its own `tsx` process (about a second of CPU each), so allow for busy machines.
describe("member CLI: receivables", { timeout: 300_000 }, () => {
  let chain: TestChain;
  let dir: string;
  let deploymentsFile: string;

  beforeAll(async () => {
    chain = await startTestChain("hardhat");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-cli-receivables-"));
    deploymentsFile = path.join(dir, "deployments.json");
    writeDeployment(deploymentsFile, chain.deployment);
    const admitted: [string, number][] = [
      [orchard.address, ROLES.ENTERPRISE],
      [juicePlant.address, ROLES.ENTERPRISE],
      [bank.address, ROLES.FINANCIER],
      [tier2.address, ROLES.ENTERPRISE],
      [tier3.address, ROLES.ENTERPRISE],
      [regulator.address, ROLES.REGULATOR],
    ];
    for (const [i, [account, roles]] of admitted.entries()) {
      await wait(chain.contracts.registry.admit(account, roles, sha256Hex(`credit code ${i}`), `member ${i}`, "", ZERO_HASH));
    }
  });
  afterAll(async () => {
    await chain?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const { ok, okJson, refused } = cliHarness({ rpcUrl: () => chain.node.url, deploymentsFile: () => deploymentsFile });
  const receivables = () => chain.contracts.receivables;

  const file = (name: string, content: string) => writeFile(dir, name, content);

  const ids: Record<string, string> = {};
  const balance = (account: { address: string }, id: string) => receivables().balanceOf(account.address, id);

  it("registers a receivable, the debtor confirms it, and shows it", async () => {
    const invoice = file("invoice-1.pdf", "VAT invoice 3700-2026-00001234");
    const contract = file("contract-1.pdf", "supply contract YT-2026-07");
    const registered = await ok(orchard, [
      "receivable", "register", "--debtor", juicePlant.address, "--face-value", "1,000,000.00 CNY", "--due", "90d",
      "--grace-days", "10", "--invoice", invoice, "--document", contract,
    ]);
    const match = registered.match(
      new RegExp(
        `^Registered receivable (\\d+): CNY 1,000,000.00 owed by ${short(juicePlant.address)} to ${short(orchard.address)}, ` +
          `due \\S+Z, 10 days of grace, invoice ${sha256Hex(fs.readFileSync(invoice))}; awaiting the debtor's confirmation ${TX}$`,
      ),
    );
    expect(match, registered).not.toBeNull();
    ids.main = match![1];
    expect(await receivables().receivableIdOfInvoice(sha256Hex(fs.readFileSync(invoice)))).toBe(BigInt(ids.main));
    expect((await receivables().receivableOf(ids.main)).status).toBe(1n); // Registered
    expect(await balance(orchard, ids.main)).toBe(100_000_000n);

    // Only the debtor confirms; nothing moves before.
    expect(await refused(orchard, ["receivable", "confirm", ids.main], 1)).toMatch(/^Error: .+ \(NotDebtor\)$/);
    expect(await refused(orchard, ["receivable", "transfer", ids.main, tier2.address, "--amount", "100"], 1)).toMatch(/^Error: .+ \(InvalidStatus\)$/);
    expect(await ok(juicePlant, ["receivable", "confirm", ids.main])).toMatch(
      new RegExp(`^Confirmed receivable ${ids.main}: CNY 1,000,000.00 owed by ${short(juicePlant.address)} ${TX}$`),
    );
    expect((await receivables().receivableOf(ids.main)).status).toBe(2n); // Confirmed

    expect(await okJson(orchard, ["receivable", "show", ids.main])).toEqual({
      receivableId: ids.main,
      creditor: orchard.address,
      debtor: juicePlant.address,
      status: "confirmed",
      currency: "CNY",
      faceValue: "100000000",
      paid: "0",
      outstanding: "100000000",
      dueDate: expect.stringMatching(/Z$/),
      graceSeconds: 864_000,
      overdue: false,
      disputed: false,
      frozen: false,
      inSettlement: false,
      settledTotal: "0",
      closedTotal: "0",
      paymentAgent: null,
      invoiceHash: sha256Hex(fs.readFileSync(invoice)),
      documentHash: sha256Hex(fs.readFileSync(contract)),
      holder: { address: orchard.address, balance: "100000000", free: "100000000", earmarked: "0", settled: "0", lots: [] },
    });
    // Without a key and without --holder, no holding is shown.
    expect(await okJson(null, ["receivable", "show", ids.main])).toMatchObject({ holder: null, status: "confirmed" });
  });

  it("registers in one transaction: the debtor signs offline, the creditor submits the file; refuses replays and edits", async () => {
    const invoiceHash = sha256Hex("VAT invoice 3700-2026-00005678");
    const signedFile = path.join(dir, "registration.signed.json");
    const countBefore = await receivables().receivableCount();
    const signed = await ok(juicePlant, [
      "receivable", "sign", "--creditor", orchard.address, "--face-value", "50000000", "--currency", "cny", "--due", "60d",
      "--invoice", invoiceHash, "--out", signedFile,
    ]);
    expect(signed).toMatch(
      new RegExp(
        `^Signed the registration of CNY 500,000.00 owed by ${short(juicePlant.address)} to ${short(orchard.address)}, due \\S+Z, no grace, ` +
          `invoice ${invoiceHash}; wrote ${signedFile}$`,
      ),
    );
    const content = JSON.parse(fs.readFileSync(signedFile, "utf8")) as { registration: Record<string, string> } & Record<string, unknown>;
    expect(content).toEqual({
      format: "tracefin-signed-receivable-registration/1",
      chainId: chain.deployment.chainId,
      receivables: chain.deployment.contracts.Receivables,
      digest: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      registration: {
        creditor: orchard.address,
        debtor: juicePlant.address,
        faceValue: "50000000",
        currency: "CNY",
        dueDate: expect.stringMatching(/^\d+$/),
        graceSeconds: "0",
        invoiceHash,
        documentHash: ZERO_HASH,
        salt: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      },
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
    });
    // Signing sends nothing.
    expect(await receivables().receivableCount()).toBe(countBefore);

    const edited = file("edited.json", JSON.stringify({ ...content, registration: { ...content.registration, faceValue: "60000000" } }));
    expect(await refused(orchard, ["receivable", "register-signed", edited], 1)).toMatch(/^Error: .+ \(InvalidDebtorSignature\)$/);
    expect(await refused(tier2, ["receivable", "register-signed", signedFile], 1)).toMatch(/^Error: .+ \(NotRegistrant\)$/);
    expect(await refused(orchard, ["receivable", "register-signed", file("foreign.json", JSON.stringify({ ...content, chainId: 1 }))], 2)).toContain(
      `chainId is 1: it was signed for another chain than this deployment's (chain ${chain.deployment.chainId})`,
    );

    const registered = await ok(orchard, ["receivable", "register-signed", signedFile]);
    const match = registered.match(
      new RegExp(`^Registered receivable (\\d+), confirmed by the debtor's signature: CNY 500,000.00 owed by ${short(juicePlant.address)} to ${short(orchard.address)}, due \\S+Z, no grace ${TX}$`),
    );
    expect(match, registered).not.toBeNull();
    ids.signed = match![1];
    const view = await receivables().receivableOf(ids.signed);
    expect(view.status).toBe(2n); // Confirmed at once
    expect(view.faceValue).toBe(50_000_000n);
    expect(await balance(orchard, ids.signed)).toBe(50_000_000n);
    expect(await refused(orchard, ["receivable", "register-signed", signedFile], 1)).toMatch(/^Error: .+ \(InvoiceAlreadyUsed\)$/);

    // The debtor disputes it and withdraws the dispute; a regulator freezes and unfreezes it.
    expect(await ok(juicePlant, ["receivable", "dispute", ids.signed, "--reason", "short delivery, note 2026-118"])).toMatch(
      new RegExp(`^Disputed receivable ${ids.signed}: nothing moves, is pledged, sold or settled until the dispute is resolved ${TX}$`),
    );
    expect(await refused(orchard, ["receivable", "transfer", ids.signed, tier2.address, "--amount", "1"], 1)).toMatch(/^Error: .+ \(ReceivableIsDisputed\)$/);
    await ok(juicePlant, ["receivable", "resolve-dispute", ids.signed]);
    expect(await refused(orchard, ["receivable", "freeze", ids.signed, "--reason", "x"], 1)).toContain("(MissingRole)");
    await ok(regulator, ["receivable", "freeze", ids.signed, "--reason", "court order (2026) Lu 06 Zhi 77"]);
    const frozen = await receivables().receivableOf(ids.signed);
    expect([frozen.frozen, frozen.disputed]).toEqual([true, false]);
    expect(await refused(orchard, ["receivable", "earmark", ids.signed, "--amount", "1"], 1)).toMatch(/^Error: .+ \(ReceivableIsFrozen\)$/);
    expect(await okJson(regulator, ["receivable", "unfreeze", ids.signed, "--reason", "order lifted"])).toMatchObject({
      action: "receivable.unfreeze",
      reasonHash: sha256Hex("order lifted"),
    });
    expect((await receivables().receivableOf(ids.signed)).frozen).toBe(false);
  });

  it("cancels and rejects unconfirmed receivables: their amounts are burned", async () => {
    const register = async (name: string) =>
      (await okJson<{ receivableId: string }>(orchard, [
        "receivable", "register", "--debtor", juicePlant.address, "--face-value", "CNY 1000", "--due", "30d", "--invoice", file(name, name),
      ])).receivableId;
    const toCancel = await register("invoice-cancel.pdf");
    const toReject = await register("invoice-reject.pdf");
    expect(await ok(orchard, ["receivable", "cancel", toCancel, "--reason", "wrong buyer"])).toMatch(
      new RegExp(`^Cancelled receivable ${toCancel}: its amount was burned; the invoice stays used ${TX}$`),
    );
    expect(await ok(juicePlant, ["receivable", "reject", toReject])).toMatch(new RegExp(`^Rejected receivable ${toReject}: its amount was burned ${TX}$`));
    expect((await receivables().receivableOf(toCancel)).status).toBe(3n);
    expect((await receivables().receivableOf(toReject)).status).toBe(4n);
    expect(await balance(orchard, toCancel)).toBe(0n);
    expect(await balance(orchard, toReject)).toBe(0n);
  });

  it("transfers part to a tier-2 supplier, who passes part on to tier-3", async () => {
    expect(await ok(orchard, ["receivable", "transfer", ids.main, tier2.address, "--amount", "300000.00 CNY"])).toMatch(
      new RegExp(
        `^Transferred CNY 300,000.00 of receivable ${ids.main} from ${short(orchard.address)} to ${short(tier2.address)}; ` +
          `${short(orchard.address)} holds CNY 700,000.00, CNY 700,000.00 free ${TX}$`,
      ),
    );
    expect(await okJson(tier2, ["receivable", "transfer", ids.main, tier3.address, "--amount", "10000000"])).toMatchObject({
      action: "receivable.transfer",
      from: tier2.address,
      to: tier3.address,
      amount: "10000000",
      fromBalance: "20000000",
    });
    expect(await balance(orchard, ids.main)).toBe(70_000_000n);
    expect(await balance(tier2, ids.main)).toBe(20_000_000n);
    expect(await balance(tier3, ids.main)).toBe(10_000_000n);
    expect(await refused(tier3, ["receivable", "transfer", ids.main, outsider.address, "--amount", "1"], 1)).toContain(
      `${outsider.address} is not an active member`,
    );
    expect(await balance(tier3, ids.main)).toBe(10_000_000n);
  });

  it("earmarks a lot and pledges it to the bank; the earmarked amount no longer moves", async () => {
    const earmarked = await ok(orchard, ["receivable", "earmark", ids.main, "--amount", "200000.00 CNY"]);
    const match = earmarked.match(
      new RegExp(`^Earmarked CNY 200,000.00 of receivable ${ids.main} as lot (\\d+); CNY 500,000.00 stays free ${TX}$`),
    );
    expect(match, earmarked).not.toBeNull();
    ids.lot = match![1];
    const lot = await receivables().lotOf(ids.lot);
    expect([lot.holder, lot.amount, lot.receivableId, lot.pledged]).toEqual([orchard.address, 20_000_000n, BigInt(ids.main), false]);

    // More than the free amount: refused by the contract, decoded, nothing moved.
    expect(await refused(orchard, ["receivable", "transfer", ids.main, tier2.address, "--amount", "600000.00 CNY"], 1)).toBe(
      `Error: 20000000 of ${orchard.address}'s part of receivable ${ids.main} is earmarked in lots and cannot move (AmountEarmarked)`,
    );
    expect(await refused(orchard, ["receivable", "earmark", ids.main, "--amount", "600000.00 CNY"], 1)).toBe(
      `Error: ${orchard.address} has 50000000 minor units of receivable ${ids.main} free (not earmarked), less than the 60000000 requested (InsufficientFreeAmount)`,
    );
    expect(await balance(orchard, ids.main)).toBe(70_000_000n);
    expect(await receivables().earmarkedOf(ids.main, orchard.address)).toBe(20_000_000n);

    // A receipt and a lot at once is a usage error naming --lot.
    expect(await refused(orchard, ["loan", "offer", "1", "--lot", ids.lot, "--financier", bank.address, "--principal", "1", "--currency", "CNY", "--maturity", "30d", "--rate", "0", "--margin-call", "8000"], 2)).toBe(
      "Error: --lot: give the receipt to pledge (<receiptId>) or --lot <id>, not both",
    );
    expect(await refused(orchard, ["loan", "offer", "--lot", "x1"], 2)).toContain("option '--lot <id>' argument 'x1' is invalid");

    const offered = await ok(orchard, [
      "loan", "offer", "--lot", ids.lot, "--financier", bank.address, "--principal", "15000000", "--currency", "CNY",
      "--maturity", "60d", "--rate", "450", "--margin-call", "8500",
    ]);
    const offer = offered.match(
      new RegExp(`^Offered loan (${LOAN_ID}): CNY 150,000.00 from ${short(bank.address)} to ${short(orchard.address)} against receivable lot ${ids.lot}, 4.50% a year, .* ${TX}$`),
    );
    expect(offer, offered).not.toBeNull();
    const loanId = offer![1];
    expect(await ok(bank, ["loan", "accept", loanId, "--valuation", "20000000"])).toMatch(
      new RegExp(`^Loan ${loanId} is active: CNY 150,000.00 against receivable lot ${ids.lot} valued at CNY 200,000.00, LTV 75.00% ${TX}$`),
    );
    expect((await receivables().lotOf(ids.lot)).pledged).toBe(true);
    expect((await chain.contracts.liens.loanOf(loanId)).status).toBe(3n); // Active
    expect(await refused(orchard, ["receivable", "release-lot", ids.lot], 1)).toMatch(/^Error: .+ \(LotAlreadyPledged\)$/);
    expect(await okJson(null, ["loan", "show", loanId])).toMatchObject({
      status: "active",
      terms: { collateral: chain.deployment.contracts.Receivables, collateralId: ids.lot },
    });

    const shown = await okJson<{ holder: Record<string, unknown> }>(null, ["receivable", "show", ids.main, "--holder", orchard.address]);
    expect(shown.holder).toEqual({
      address: orchard.address,
      balance: "70000000",
      free: "50000000",
      earmarked: "20000000",
      settled: "0",
      lots: [{ lotId: ids.lot, amount: "20000000", pledged: true, loanId }],
    });
    expect(await ok(null, ["receivable", "show", ids.main, "--holder", orchard.address])).toMatch(
      new RegExp(`; holder ${orchard.address}: CNY 700,000.00 held, CNY 500,000.00 free, CNY 200,000.00 earmarked in lot ${ids.lot} \\(CNY 200,000.00, pledged under loan ${loanId}\\), CNY 0.00 settled$`),
    );

    // A second lot, earmarked and released again.
    const second = await okJson<{ lotId: string }>(orchard, ["receivable", "earmark", ids.main, "--amount", "1000"]);
    expect(await ok(orchard, ["receivable", "release-lot", second.lotId])).toMatch(
      new RegExp(`^Released lot ${second.lotId}: CNY 10.00 of receivable ${ids.main} is free again ${TX}$`),
    );
    expect(await receivables().earmarkedOf(ids.main, orchard.address)).toBe(20_000_000n);

    // A lot pledged in one transaction: the holder signs the terms, the bank accepts the file.
    const lot2 = (await okJson<{ lotId: string }>(orchard, ["receivable", "earmark", ids.main, "--amount", "100000.00 CNY"])).lotId;
    const signArgs = (lotId: string, out: string) => [
      "loan", "sign", "--lot", lotId, "--financier", bank.address, "--principal", "7000000", "--currency", "CNY",
      "--maturity", "30d", "--rate", "500", "--margin-call", "9000", "--out", out,
    ];
    expect(await refused(bank, signArgs(lot2, path.join(dir, "not-held.json")), 1)).toBe(
      `Error: receivable lot ${lot2} is held by ${orchard.address}, not by ${bank.address}: only its holder can sign terms pledging it`,
    );
    expect(await refused(orchard, signArgs(ids.lot, path.join(dir, "twice.json")), 1)).toBe(
      `Error: the goods already back active loan ${loanId}; they cannot be pledged twice (CollateralAlreadyPledged)`,
    );
    const termsFile = path.join(dir, "lot.signed.json");
    const signed = await okJson<{ loanId: string; terms: Record<string, unknown> }>(orchard, signArgs(lot2, termsFile));
    expect(signed.terms).toMatchObject({ collateral: chain.deployment.contracts.Receivables, collateralId: lot2 });
    expect(await ok(bank, ["loan", "accept-signed", termsFile, "--valuation", "10000000"])).toMatch(
      new RegExp(`^Loan ${signed.loanId} is active: CNY 70,000.00 against receivable lot ${lot2} valued at CNY 100,000.00, LTV 70.00% ${TX}$`),
    );
    expect((await receivables().lotOf(lot2)).pledged).toBe(true);
    expect(await receivables().freeAmountOf(ids.main, orchard.address)).toBe(40_000_000n);
  });

  it("sells part to the bank at a discount; only the named financier accepts", async () => {
    const offered = await ok(tier2, ["receivable", "sell", ids.main, "--financier", bank.address, "--amount", "100000.00 CNY", "--price", "98000.00 CNY"]);
    const match = offered.match(
      new RegExp(`^Offered CNY 100,000.00 of receivable ${ids.main} to ${short(bank.address)} for CNY 98,000.00 \\(a 2.00% discount\\) as sale (\\d+) ${TX}$`),
    );
    expect(match, offered).not.toBeNull();
    const saleId = match![1];
    expect(await refused(tier3, ["receivable", "accept-sale", saleId], 1)).toMatch(/^Error: .+ \(NotSaleFinancier\)$/);
    expect(await ok(bank, ["receivable", "accept-sale", saleId])).toMatch(
      new RegExp(`^Bought CNY 100,000.00 of receivable ${ids.main} from ${short(tier2.address)} for CNY 98,000.00 \\(a 2.00% discount\\), sale ${saleId} ${TX}$`),
    );
    expect(await balance(bank, ids.main)).toBe(10_000_000n);
    expect(await balance(tier2, ids.main)).toBe(10_000_000n);

    // A second offer, withdrawn.
    const withdrawn = await okJson<{ saleId: string }>(tier3, ["receivable", "sell", ids.main, "--financier", bank.address, "--amount", "5000000", "--price", "5000000"]);
    expect(await ok(tier3, ["receivable", "withdraw-sale", withdrawn.saleId])).toMatch(new RegExp(`^Withdrew sale ${withdrawn.saleId} of receivable ${ids.main} ${TX}$`));
    expect(await refused(bank, ["receivable", "accept-sale", withdrawn.saleId], 1)).toMatch(/^Error: .+ \(UnknownSale\)$/);
  });

  it("records payments (the debtor's bank as agent) and settles every holder in batches until the receivable is settled", async () => {
    const holders = [orchard, tier2, tier3, bank];
    const before = await Promise.all(holders.map((holder) => balance(holder, ids.main)));
    expect(before).toEqual([70_000_000n, 10_000_000n, 10_000_000n, 10_000_000n]);

    expect(await ok(juicePlant, ["receivable", "appoint-agent", ids.main, bank.address])).toMatch(
      new RegExp(`^Appointed ${short(bank.address)} to record payments of receivable ${ids.main} ${TX}$`),
    );
    expect(await refused(tier2, ["receivable", "pay", ids.main, "--amount", "1"], 1)).toMatch(/^Error: .+ \(NotPayer\)$/);
    const slip = file("cnaps-1.txt", "CNAPS 2026-12-01 0001");
    expect(await ok(bank, ["receivable", "pay", ids.main, "--amount", "400000.00 CNY", "--reference", slip])).toMatch(
      new RegExp(`^Recorded a payment of CNY 400,000.00 on receivable ${ids.main}: paid CNY 400,000.00 of CNY 1,000,000.00, outstanding CNY 600,000.00 ${TX}$`),
    );
    // In settlement, holdings are fixed.
    expect(await refused(tier2, ["receivable", "transfer", ids.main, tier3.address, "--amount", "1"], 1)).toMatch(/^Error: .+ \(ReceivableInSettlement\)$/);

    // Anyone may settle: here tier-3, 4 holders in transactions of 3.
    const partial = await okJson<{ holders: string[]; settled: string; status: string; transactions: unknown[] }>(tier3, ["receivable", "settle", ids.main, "--batch-size", "3"]);
    expect(new Set(partial.holders)).toEqual(new Set(holders.map((holder) => holder.address)));
    expect(partial).toMatchObject({ settled: "40000000", status: "confirmed" });
    expect(partial.transactions).toHaveLength(2);
    for (const [i, holder] of holders.entries()) {
      expect(await receivables().settledOf(ids.main, holder.address)).toBe((before[i] * 4n) / 10n);
    }

    await ok(juicePlant, ["receivable", "pay", ids.main, "--amount", "60000000", "--reference", "CNAPS 2026-12-20 0002"]);
    const settled = await ok(tier3, ["receivable", "settle", ids.main, "--batch-size", "2"]);
    expect(settled).toMatch(
      new RegExp(
        `^Settled 4 holders of receivable ${ids.main}: CNY 600,000.00 now, CNY 1,000,000.00 of CNY 1,000,000.00 in all; 4 closed; status settled ` +
          `in 2 transactions: 0x[0-9a-f]{64} \\(gas [\\d,]+\\), 0x[0-9a-f]{64} \\(gas [\\d,]+\\)$`,
      ),
    );
    const view = await receivables().receivableOf(ids.main);
    expect(view.status).toBe(5n); // Settled
    expect(view.settledTotal).toBe(100_000_000n);
    expect(view.closedTotal).toBe(100_000_000n);
    for (const [i, holder] of holders.entries()) {
      expect(await balance(holder, ids.main)).toBe(0n);
      expect(await receivables().settledOf(ids.main, holder.address)).toBe(before[i]);
    }
    expect(await okJson(null, ["receivable", "show", ids.main])).toMatchObject({ status: "settled", paid: "100000000", outstanding: "0", inSettlement: false });
    expect(await refused(tier3, ["receivable", "settle", ids.main], 1)).toBe(`Error: receivable ${ids.main} has no holder with a non-zero balance (it is settled)`);
  });

  it("refuses bad receivable options with exit code 2, naming the option", async () => {
    const invoice = file("invoice-bad.pdf", "invoice bad");
    const register = (overrides: Record<string, string>) => [
      "receivable", "register",
      ...Object.entries({ "--debtor": juicePlant.address, "--face-value": "1000.00 CNY", "--due": "30d", "--invoice": invoice, ...overrides }).flat(),
    ];
    expect(await refused(orchard, register({ "--face-value": "12.345 CNY" }), 2)).toContain("option '--face-value <money>' argument '12.345 CNY' is invalid");
    expect(await refused(orchard, register({ "--face-value": "100000" }), 2)).toBe(
      'Error: --currency: give the currency of --face-value (minor units), or write it with the amount, e.g. "1250000.00 CNY"',
    );
    expect(await refused(orchard, register({ "--currency": "USD" }), 2)).toBe("Error: --currency: USD contradicts --face-value, which is in CNY");
    expect(await refused(orchard, register({ "--due": "whenever" }), 2)).toContain("option '--due <when>' argument 'whenever' is invalid");
    expect(await refused(orchard, register({ "--grace-days": "1.5" }), 2)).toContain("option '--grace-days <n>' argument '1.5' is invalid");
    expect(await refused(orchard, register({ "--invoice": path.join(dir, "missing.pdf") }), 2)).toContain("--invoice: cannot read");
    expect(await refused(orchard, register({ "--debtor": "0x1234" }), 2)).toContain("option '--debtor <address>' argument '0x1234' is invalid");
    expect(await refused(orchard, ["receivable", "transfer", ids.signed, tier2.address], 2)).toContain("required option '--amount <money>' not specified");
    expect(await refused(orchard, ["receivable", "transfer", ids.signed, tier2.address, "--amount", "100.00 USD"], 2)).toBe(
      `Error: --amount: the amount is in USD, but receivable ${ids.signed} is in CNY`,
    );
    expect(await refused(orchard, ["receivable", "settle", ids.signed, "--batch-size", "0"], 2)).toContain("option '--batch-size <n>' argument '0' is invalid");
    expect(await refused(regulator, ["receivable", "freeze", ids.signed], 2)).toContain("required option '--reason <text>' not specified");
    expect(await refused(orchard, ["receivable", "show", "0"], 2)).toContain("argument 'receivableId'");
    expect(await refused(null, ["receivable", "show", "999"], 1)).toBe("Error: receivable 999 does not exist (UnknownReceivable)");
    // Nothing of the above reached the chain.
    expect(await receivables().receivableIdOfInvoice(sha256Hex(fs.readFileSync(invoice)))).toBe(0n);
  });
});
