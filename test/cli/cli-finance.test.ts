import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ContractTransactionResponse } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectContracts } from "../../shared/chain/contracts";
import { writeDeployment } from "../../shared/chain/deployments";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { ROLES } from "../../shared/roles";
import { encodeUnit } from "../../shared/trade-codes";
import { startTestChain, type TestChain } from "../support/chain";
import { accounts, cliHarness, TX, writeFile } from "./harness";

/** 0 admin, 1 cold store (WAREHOUSE), 2 orchard (depositor, borrower), 3 bank, 4 buyer, 5 regulator, 6 outsider. */
const [, coldStore, orchard, bank, buyer, regulator, outsider] = accounts;
const LOAN_ID = "0x[0-9a-f]{64}";
const APPLES = 6901234567892n;

const wait = async (tx: Promise<ContractTransactionResponse>) => (await tx).wait();

// Every step runs the CLI as its own `tsx` process (about a second of CPU each), so allow for busy machines.
describe("member CLI: warehouse receipts and pledge loans", { timeout: 300_000 }, () => {
  let chain: TestChain;
  let dir: string;
  let deploymentsFile: string;
  const batches: Record<"apples" | "pears" | "discs", string> = { apples: "", pears: "", discs: "" };

  /** Members, a product and three batches the orchard deposited in the cold store, set up directly (not the subject here). */
  beforeAll(async () => {
    chain = await startTestChain("hardhat");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-cli-finance-"));
    deploymentsFile = path.join(dir, "deployments.json");
    writeDeployment(deploymentsFile, chain.deployment);

    const as = async (index: number) => connectContracts(chain.deployment, await chain.signer(index));
    const admitted: [string, number][] = [
      [coldStore.address, ROLES.WAREHOUSE],
      [orchard.address, ROLES.ENTERPRISE],
      [bank.address, ROLES.FINANCIER],
      [buyer.address, ROLES.ENTERPRISE],
      [regulator.address, ROLES.REGULATOR],
      [outsider.address, ROLES.ENTERPRISE],
    ];
    for (const [i, [account, roles]] of admitted.entries()) {
      await wait(chain.contracts.registry.admit(account, roles, sha256Hex(`credit code ${i}`), `member ${i}`, "", ZERO_HASH));
    }
    const orchardContracts = await as(2);
    const coldStoreContracts = await as(1);
    await wait(orchardContracts.ledger.registerProduct(APPLES, "080810", "Qixia Red Fuji apples", ""));
    const deposits = { apples: 15_000, pears: 3_000, discs: 1_600 };
    for (const [name, quantity] of Object.entries(deposits) as [keyof typeof deposits, number][]) {
      const now = (await chain.provider.getBlock("latest"))!.timestamp;
      await wait(orchardContracts.ledger.commission(APPLES, `LOT-${name}`, quantity, encodeUnit("KGM"), 370686, now, ZERO_HASH));
      const batchId = await chain.contracts.ledger.batchCount();
      await wait(orchardContracts.ledger.ship(batchId, coldStore.address, quantity, "0x0000000000000000000000000000000000000000", ZERO_HASH));
      await wait(coldStoreContracts.ledger.receiveShipment(batchId));
      batches[name] = String(batchId);
    }
  });
  afterAll(async () => {
    await chain?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const { cli, ok, okJson, refused } = cliHarness({ rpcUrl: () => chain.node.url, deploymentsFile: () => deploymentsFile });

  const file = (name: string, content: string) => writeFile(dir, name, content);

  const receipts: Record<string, string> = {};
  const loans: Record<string, string> = {};

  it("issues a receipt for part of a batch, then attests, extends, insures and shows it", async () => {
    const policy = file("policy.pdf", "cargo insurance policy PICC-2026-0001");
    const document = file("receipt.pdf", "warehouse receipt, cold room 3");
    const issued = await ok(coldStore, [
      "receipt", "issue", batches.apples, "--quantity", "12000", "--holder", orchard.address,
      "--location", "Bohai Cold-Chain, cold room 3", "--expires", "180d",
      "--insured-value", "9600000", "--currency", "cny", "--policy", policy, "--document", document,
    ]);
    const match = issued.match(
      new RegExp(
        `^Issued receipt (\\d+) for batch (\\d+) \\(12000 KGM, split from batch ${batches.apples}\\) to 0x3C44…93BC, ` +
          `at Bohai Cold-Chain, cold room 3, expires \\S+Z, insured for CNY 96,000.00 ${TX}$`,
      ),
    );
    expect(match, issued).not.toBeNull();
    receipts.apples = match![1];
    const childBatch = match![2];

    const check = file("inventory.csv", "bay,kg\n12,3000\n13,3000\n14,3000\n15,3000\n");
    expect(await okJson(coldStore, ["receipt", "attest", receipts.apples, "--file", check])).toMatchObject({
      action: "receipt.attest",
      checkHash: sha256Hex(fs.readFileSync(check)),
    });
    expect(await ok(coldStore, ["receipt", "extend", receipts.apples, "--expires", "2099-01-01"])).toMatch(
      new RegExp(`^Extended receipt ${receipts.apples} to 2099-01-01T00:00:00.000Z ${TX}$`),
    );
    expect(await okJson(coldStore, ["receipt", "insure", receipts.apples, "--insured-value", "10000000", "--currency", "CNY", "--policy", policy])).toMatchObject({
      action: "receipt.insure",
      insuredValue: "10000000",
      currency: "CNY",
      policyHash: sha256Hex(fs.readFileSync(policy)),
    });

    expect(await okJson(null, ["receipt", "show", receipts.apples])).toEqual({
      receiptId: receipts.apples,
      holder: orchard.address,
      warehouse: coldStore.address,
      batchId: childBatch,
      quantity: "12000",
      unit: "KGM",
      batchStatus: "active",
      issuedAt: expect.stringMatching(/Z$/),
      expiresAt: "2099-01-01T00:00:00.000Z",
      expired: false,
      pledged: false,
      loanId: null,
      frozen: false,
      redemptionRequested: false,
    });
    expect(await ok(null, ["receipt", "show", receipts.apples])).toMatch(
      new RegExp(`^Receipt ${receipts.apples}: 12000 KGM in batch ${childBatch} \\(active\\), held by ${orchard.address}, kept by warehouse ${coldStore.address}, issued .*, expires 2099-01-01T00:00:00.000Z, free$`),
    );

    // The rest of the batch (3000 KGM) is still free in the cold store; only its custodian may issue.
    expect(await refused(outsider, ["receipt", "issue", batches.apples, "--quantity", "10", "--holder", orchard.address, "--location", "x"], 1)).toBe(
      `Error: ${outsider.address} is not an active member with role WAREHOUSE (MissingRole)`,
    );
    expect(await refused(coldStore, ["receipt", "issue", childBatch, "--quantity", "10", "--holder", orchard.address, "--location", "x"], 1)).toBe(
      `Error: batch ${childBatch} is under a warehouse receipt; it moves only through the receipt (BatchUnderReceipt)`,
    );
  });

  it("refuses bad receipt arguments with exit code 2, naming the option", async () => {
    const partial = await refused(coldStore, [
      "receipt", "issue", batches.pears, "--quantity", "10", "--holder", orchard.address, "--location", "x", "--insured-value", "100",
    ], 2);
    expect(partial).toBe("Error: --insured-value, --currency and --policy go together: give all three, or none");
    expect(await refused(coldStore, ["receipt", "issue", batches.pears, "--quantity", "10", "--holder", orchard.address, "--location", "x", "--expires", "next year"], 2)).toContain(
      "option '--expires <when>' argument 'next year' is invalid",
    );
    expect(await refused(coldStore, ["receipt", "insure", "1", "--insured-value", "100", "--currency", "yuan", "--policy", "p.pdf"], 2)).toContain("'--currency <code>'");
    expect(await refused(orchard, ["receipt", "split", "1"], 2)).toContain("required option '--quantity <n>' not specified");
    expect(await refused(regulator, ["receipt", "freeze", "1"], 2)).toContain("required option '--reason <text>' not specified");
    expect(await refused(orchard, ["receipt", "transfer", "1", "0x1234"], 2)).toContain("argument 'to'");
  });

  it("splits and transfers receipts, redeems and freezes them, and refuses a non-holder", async () => {
    const issued = await okJson<{ receiptId: string; batchId: string; split: boolean }>(coldStore, [
      "receipt", "issue", batches.pears, "--quantity", "3000", "--holder", orchard.address, "--location", "Bohai Cold-Chain, cold room 1",
    ]);
    expect(issued).toMatchObject({ batchId: batches.pears, split: false, expiresAt: null, insuredValue: null });
    receipts.pears = issued.receiptId;

    expect(await refused(outsider, ["receipt", "split", receipts.pears, "--quantity", "1000"], 1)).toBe(
      `Error: receipt ${receipts.pears} is held by ${orchard.address}, not by ${outsider.address} (NotHolder)`,
    );
    const split = await ok(orchard, ["receipt", "split", receipts.pears, "--quantity", "1000", "--quantity", "500"]);
    const parts = split.match(
      new RegExp(`^Split receipt ${receipts.pears}, which keeps 1500 KGM, into receipt (\\d+) \\(batch \\d+, 1000 KGM\\), receipt (\\d+) \\(batch \\d+, 500 KGM\\) ${TX}$`),
    );
    expect(parts, split).not.toBeNull();
    [receipts.pears1000, receipts.pears500] = [parts![1], parts![2]];

    expect(await ok(orchard, ["receipt", "transfer", receipts.pears500, buyer.address])).toMatch(
      new RegExp(`^Transferred receipt ${receipts.pears500} from 0x3C44…93BC to 0x15d3…6A65 ${TX}$`),
    );
    expect(await refused(orchard, ["receipt", "transfer", receipts.pears500, orchard.address], 1)).toBe(
      `Error: ${orchard.address} is neither the holder of receipt ${receipts.pears500} nor approved by it (ERC721InsufficientApproval)`,
    );

    // The buyer asks for its goods, changes its mind, asks again, and the warehouse releases them.
    expect(await ok(buyer, ["receipt", "redeem", "request", receipts.pears500])).toMatch(
      new RegExp(`^Asked the warehouse to release the goods of receipt ${receipts.pears500} ${TX}$`),
    );
    await ok(buyer, ["receipt", "redeem", "cancel", receipts.pears500]);
    await ok(buyer, ["receipt", "redeem", "request", receipts.pears500]);
    expect(await refused(buyer, ["receipt", "transfer", receipts.pears500, orchard.address], 1)).toBe(
      `Error: receipt ${receipts.pears500} has a redemption request pending (RedemptionPending)`,
    );
    const redeemed = await ok(coldStore, ["receipt", "redeem", "confirm", receipts.pears500, "--document", file("delivery.pdf", "delivery note")]);
    const batch500 = redeemed.match(new RegExp(`^Redeemed receipt ${receipts.pears500}: batch (\\d+) \\(500 KGM\\) is now in the custody of 0x15d3…6A65 ${TX}$`));
    expect(batch500, redeemed).not.toBeNull();
    expect((await chain.contracts.ledger.batchOf(batch500![1])).custodian).toBe(buyer.address);
    expect(await refused(null, ["receipt", "show", receipts.pears500], 1)).toBe(
      `Error: receipt ${receipts.pears500} does not exist (never issued, or redeemed) (UnknownReceipt)`,
    );

    // A judicial freeze stops everything until it is lifted.
    expect(await ok(regulator, ["receipt", "freeze", receipts.pears1000, "--reason", "court order (2026) Lu 06 Zhi 123"])).toMatch(
      new RegExp(`^Froze receipt ${receipts.pears1000}: nothing moves until it is unfrozen ${TX}$`),
    );
    expect(await okJson(null, ["receipt", "show", receipts.pears1000])).toMatchObject({ frozen: true, holder: orchard.address });
    expect(await refused(orchard, ["receipt", "transfer", receipts.pears1000, buyer.address], 1)).toBe(
      `Error: receipt ${receipts.pears1000} is frozen by a regulator (ReceiptIsFrozen)`,
    );
    expect(await refused(orchard, ["receipt", "freeze", receipts.pears1000, "--reason", "x"], 1)).toContain("(MissingRole)");
    await ok(regulator, ["receipt", "unfreeze", receipts.pears1000, "--reason", "order lifted"]);
    await ok(orchard, ["receipt", "transfer", receipts.pears1000, buyer.address]);
    expect(await chain.contracts.receipts.ownerOf(receipts.pears1000)).toBe(buyer.address);
  });

  it("pledges a receipt: offer, accept, register, revalue, repay part, release part, redeem the released part, release", async () => {
    const offered = await ok(orchard, [
      "loan", "offer", receipts.apples, "--financier", bank.address, "--principal", "6000000", "--currency", "CNY",
      "--maturity", "90d", "--rate", "450", "--margin-call", "8000",
    ]);
    const match = offered.match(
      new RegExp(
        `^Offered loan (${LOAN_ID}): CNY 60,000.00 from 0x90F7…b906 to 0x3C44…93BC against receipt ${receipts.apples}, ` +
          `4.50% a year, matures \\S+Z, margin call above 80.00% LTV; open until \\S+Z ${TX}$`,
      ),
    );
    expect(match, offered).not.toBeNull();
    loans.apples = match![1];

    const shown = await okJson<{ status: string; outstanding: string; terms: Record<string, unknown> }>(null, ["loan", "show", loans.apples]);
    expect(shown).toMatchObject({ status: "offered", outstanding: "6000000", valuation: null, ltvBps: null, currency: "CNY" });
    expect(shown.terms).toMatchObject({
      collateral: chain.deployment.contracts.WarehouseReceipt,
      collateralId: receipts.apples,
      borrower: orchard.address,
      financier: bank.address,
      principal: "6000000",
      currency: "CNY",
      rateBps: 450,
      marginCallLtvBps: 8000,
    });
    expect((await chain.contracts.liens.loanOf(loans.apples)).status).toBe(1n); // Offered

    expect(await refused(orchard, ["loan", "accept", loans.apples, "--valuation", "9600000"], 1)).toBe(
      `Error: ${orchard.address} is not the financier of loan ${loans.apples} (NotFinancier)`,
    );
    expect(await refused(bank, ["loan", "accept", loans.apples, "--valuation", "7000000"], 1)).toBe(
      "Error: that valuation puts the loan-to-value ratio at 85.72%, at or above the 80.00% margin-call level (LtvAboveMarginCall)",
    );
    expect(await ok(bank, ["loan", "accept", loans.apples, "--valuation", "9600000"])).toMatch(
      new RegExp(`^Loan ${loans.apples} is active: CNY 60,000.00 against receipt ${receipts.apples} valued at CNY 96,000.00, LTV 62.50% ${TX}$`),
    );
    expect(await okJson(null, ["receipt", "show", receipts.apples])).toMatchObject({ pledged: true, loanId: loans.apples });

    // The pledged receipt neither moves nor backs a second loan.
    expect(await refused(orchard, ["receipt", "transfer", receipts.apples, buyer.address], 1)).toBe(
      `Error: receipt ${receipts.apples} is pledged; it cannot move, split or be redeemed until its lien is released (ReceiptIsPledged)`,
    );
    const again = ["loan", "offer", receipts.apples, "--financier", bank.address, "--principal", "100000", "--currency", "CNY", "--maturity", "30d", "--rate", "500", "--margin-call", "9000"];
    expect(await refused(orchard, again, 1)).toBe(
      `Error: the goods already back active loan ${loans.apples}; they cannot be pledged twice (CollateralAlreadyPledged)`,
    );
    const asJson = await cli(orchard, [...again, "--json"]);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stderr).error).toMatchObject({ name: "CollateralAlreadyPledged", args: [expect.stringMatching(/^0x/), loans.apples] });

    expect(await ok(bank, ["loan", "register", loans.apples, "--number", "ZDW-2026-370600-00012345"])).toMatch(
      new RegExp(`^Recorded registration ZDW-2026-370600-00012345 for loan ${loans.apples} ${TX}$`),
    );
    // 6,000,000 / 7,200,000 = 83.34 % (rounded up) is past the 80 % level.
    expect(await ok(bank, ["loan", "revalue", loans.apples, "--valuation", "7200000"])).toMatch(
      new RegExp(`^Revalued receipt ${receipts.apples} under loan ${loans.apples} at CNY 72,000.00: LTV 83.34%, above the 80.00% margin-call level: margin call issued ${TX}$`),
    );
    expect(await okJson(bank, ["loan", "revalue", loans.apples, "--valuation", "9000000"])).toMatchObject({
      valuation: "9000000",
      ltvBps: 6667,
      marginCall: false,
    });

    expect(await ok(bank, ["loan", "repay", loans.apples, "--amount", "3000000", "--reference", "bank slip 2026-10-03"])).toMatch(
      new RegExp(`^Recorded a repayment of CNY 30,000.00 on loan ${loans.apples}; outstanding CNY 30,000.00 ${TX}$`),
    );
    expect(await refused(bank, ["loan", "repay", loans.apples, "--amount", "3000001"], 1)).toBe(
      `Error: a repayment of 3000001 minor units exceeds the 3000000 outstanding on loan ${loans.apples} (RepaymentExceedsOutstanding)`,
    );

    const released = await ok(bank, ["loan", "release-part", loans.apples, "--quantity", "6000"]);
    const part = released.match(
      new RegExp(`^Released 6000 KGM of receipt ${receipts.apples} under loan ${loans.apples} as receipt (\\d+), free ${TX}$`),
    );
    expect(part, released).not.toBeNull();
    receipts.applesReleased = part![1];
    expect(await okJson(null, ["receipt", "show", receipts.applesReleased])).toMatchObject({ holder: orchard.address, quantity: "6000", pledged: false });
    expect(await okJson(null, ["receipt", "show", receipts.apples])).toMatchObject({ quantity: "6000", pledged: true });

    await ok(orchard, ["receipt", "redeem", "request", receipts.applesReleased]);
    expect(await ok(coldStore, ["receipt", "redeem", "confirm", receipts.applesReleased])).toMatch(
      new RegExp(`^Redeemed receipt ${receipts.applesReleased}: batch \\d+ \\(6000 KGM\\) is now in the custody of 0x3C44…93BC ${TX}$`),
    );

    const slip = file("slip-2.pdf", "repayment 2, bank slip 2026-11-02");
    expect(await okJson(bank, ["loan", "repay", loans.apples, "--amount", "3000000", "--reference", slip])).toMatchObject({
      outstanding: "0",
      currency: "CNY",
      referenceHash: sha256Hex(fs.readFileSync(slip)),
    });
    expect(await ok(bank, ["loan", "release", loans.apples])).toMatch(
      new RegExp(`^Released the lien of loan ${loans.apples}; receipt ${receipts.apples} is free ${TX}$`),
    );
    expect(await ok(null, ["loan", "show", loans.apples])).toMatch(
      new RegExp(`^Loan ${loans.apples}: CNY 60,000.00 from 0x90F7…b906 to 0x3C44…93BC against receipt ${receipts.apples}, .*; released, outstanding CNY 0.00, valued at CNY 90,000.00, LTV 66.67%$`),
    );
    expect(await okJson(null, ["receipt", "show", receipts.apples])).toMatchObject({ pledged: false, loanId: null });
    expect(await refused(bank, ["loan", "release", loans.apples], 1)).toBe(
      `Error: loan ${loans.apples} is released, which this operation does not allow (InvalidLoanStatus)`,
    );
  });

  it("withdraws an offer, and refuses unknown loans and bad loan arguments", async () => {
    const offer = await okJson<{ loanId: string; terms: { offerExpiresAt: string; maturity: string } }>(orchard, [
      "loan", "offer", receipts.apples, "--financier", bank.address, "--principal", "100000", "--currency", "CNY",
      "--maturity", "2099-06-30T00:00:00+08:00", "--rate", "0", "--margin-call", "9000", "--offer-expires", "2d",
    ]);
    expect(offer.terms.maturity).toBe("2099-06-29T16:00:00.000Z");
    expect(await refused(bank, ["loan", "withdraw", offer.loanId], 1)).toBe(`Error: ${bank.address} is not the borrower of loan ${offer.loanId} (NotBorrower)`);
    expect(await ok(orchard, ["loan", "withdraw", offer.loanId])).toMatch(new RegExp(`^Withdrew the offer of loan ${offer.loanId} on receipt ${receipts.apples} ${TX}$`));
    expect(await okJson(null, ["loan", "show", offer.loanId])).toMatchObject({ status: "withdrawn" });
    expect(await refused(bank, ["loan", "accept", offer.loanId, "--valuation", "1000000"], 1)).toBe(
      `Error: loan ${offer.loanId} is withdrawn, which this operation does not allow (InvalidLoanStatus)`,
    );

    const unknown = `0x${"ab".repeat(32)}`;
    expect(await refused(bank, ["loan", "repay", unknown, "--amount", "1"], 1)).toBe(
      `Error: no pledge was offered as loan ${unknown} on the lien registry ${chain.deployment.contracts.LienRegistry} (searched from block ${chain.deployment.startBlock})`,
    );
    const offerArgs = (overrides: Record<string, string>) => {
      const options = { "--financier": bank.address, "--principal": "100000", "--currency": "CNY", "--maturity": "30d", "--rate": "450", "--margin-call": "8000", ...overrides };
      return ["loan", "offer", receipts.apples, ...Object.entries(options).flat()];
    };
    expect(await refused(orchard, offerArgs({ "--principal": "1000.50" }), 2)).toContain("option '--principal <minor units>' argument '1000.50' is invalid");
    expect(await refused(orchard, offerArgs({ "--currency": "RMB1" }), 2)).toContain("option '--currency <code>' argument 'RMB1' is invalid");
    expect(await refused(orchard, offerArgs({ "--maturity": "soon" }), 2)).toContain("option '--maturity <when>' argument 'soon' is invalid");
    expect(await refused(orchard, offerArgs({ "--rate": "4.5%" }), 2)).toContain("option '--rate <bps>' argument '4.5%' is invalid");
    expect(await refused(orchard, offerArgs({ "--margin-call": "0" }), 2)).toContain("option '--margin-call <bps>' argument '0' is invalid");
    expect(await refused(orchard, offerArgs({ "--financier": orchard.address }), 1)).toBe(
      "Error: the financier cannot be the borrower (--financier) (InvalidTerms)",
    );
    expect(await refused(bank, ["loan", "accept", "0x1234", "--valuation", "1"], 2)).toContain("argument 'loanId'");
    expect(await refused(bank, ["loan", "release-part", unknown], 2)).toContain("required option '--quantity <n>' not specified");
  });

  it("enforces a loan past maturity and hands the receipt to a buyer", async () => {
    const issued = await okJson<{ receiptId: string }>(coldStore, [
      "receipt", "issue", batches.discs, "--quantity", "1600", "--holder", orchard.address, "--location", "bonded zone, warehouse 7", "--expires", "365d",
    ]);
    receipts.discs = issued.receiptId;
    const offer = await okJson<{ loanId: string }>(orchard, [
      "loan", "offer", receipts.discs, "--financier", bank.address, "--principal", "30000000", "--currency", "CNY",
      "--maturity", "1h", "--rate", "600", "--margin-call", "8500",
    ]);
    loans.discs = offer.loanId;
    await ok(bank, ["loan", "accept", loans.discs, "--valuation", "48000000"]);
    await ok(bank, ["loan", "repay", loans.discs, "--amount", "5000000", "--reference", "partial repayment"]);
    expect(await refused(bank, ["loan", "enforce", loans.discs, "--to", buyer.address], 1)).toMatch(
      new RegExp(`^Error: loan ${loans.discs} matures at \\S+Z; it cannot be enforced before \\(NotMatured\\)$`),
    );

    await chain.rpc("evm_increaseTime", [3_601]);
    await chain.rpc("evm_mine");
    expect(await refused(orchard, ["loan", "enforce", loans.discs], 1)).toBe(
      `Error: ${orchard.address} is not the financier of loan ${loans.discs} (NotFinancier)`,
    );
    expect(await ok(bank, ["loan", "enforce", loans.discs, "--to", buyer.address])).toMatch(
      new RegExp(`^Enforced loan ${loans.discs}: receipt ${receipts.discs} now belongs to 0x15d3…6A65 ${TX}$`),
    );
    expect(await okJson(null, ["receipt", "show", receipts.discs])).toMatchObject({ holder: buyer.address, pledged: false, loanId: null });
    expect(await okJson(null, ["loan", "show", loans.discs])).toMatchObject({
      status: "enforced",
      outstanding: "25000000",
      valuation: "48000000",
      ltvBps: 6250,
    });
    // The buyer now holds title and can take the goods out.
    await ok(buyer, ["receipt", "redeem", "request", receipts.discs]);
    await ok(coldStore, ["receipt", "redeem", "confirm", receipts.discs]);
  });

  it("pledges in one transaction: the holder signs the terms, the bank accepts the file; refuses replays, edits, revoked and foreign files", async () => {
    const signArgs = (out: string, receiptId = receipts.apples) => [
      "loan", "sign", receiptId, "--financier", bank.address, "--principal", "4000000", "--currency", "CNY",
      "--maturity", "60d", "--rate", "500", "--margin-call", "8000", "--out", out,
    ];
    const signedFile = path.join(dir, "terms.signed.json");
    const signed = await ok(orchard, signArgs(signedFile));
    const match = signed.match(
      new RegExp(
        `^Signed loan (${LOAN_ID}): CNY 40,000.00 from 0x90F7…b906 to 0x3C44…93BC against receipt ${receipts.apples}, 5.00% a year, ` +
          `matures \\S+Z, margin call above 80.00% LTV; valid until \\S+Z; wrote ${signedFile}$`,
      ),
    );
    expect(match, signed).not.toBeNull();
    const loanId = match![1];
    const content = JSON.parse(fs.readFileSync(signedFile, "utf8")) as { terms: Record<string, string> } & Record<string, unknown>;
    expect(content).toEqual({
      format: "tracefin-signed-loan-terms/1",
      chainId: chain.deployment.chainId,
      lienRegistry: chain.deployment.contracts.LienRegistry,
      loanId,
      terms: {
        collateral: chain.deployment.contracts.WarehouseReceipt,
        collateralId: receipts.apples,
        borrower: orchard.address,
        financier: bank.address,
        principal: "4000000",
        currency: "CNY",
        maturity: expect.stringMatching(/^\d+$/),
        rateBps: "500",
        marginCallLtvBps: "8000",
        offerExpiresAt: expect.stringMatching(/^\d+$/),
        salt: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      },
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
    });
    // Signing sends nothing: the loan does not exist until the financier submits the file.
    expect((await chain.contracts.liens.loanOf(loanId)).status).toBe(0n);
    expect(await refused(orchard, signArgs(signedFile), 2)).toBe(`Error: --out: cannot write ${signedFile} (it already exists; refusing to overwrite it)`);

    // Only the holder can sign; a second file on the same receipt, with the default name in --out's directory, to revoke.
    expect(await refused(bank, signArgs(path.join(dir, "not-held.json")), 1)).toBe(
      `Error: receipt ${receipts.apples} is held by ${orchard.address}, not by ${bank.address}: only its holder can sign terms pledging it`,
    );
    expect(fs.existsSync(path.join(dir, "not-held.json"))).toBe(false);
    const second = await okJson<{ loanId: string; file: string; signature: string }>(orchard, signArgs(dir));
    expect(second.file).toBe(path.join(dir, `loan-${second.loanId.slice(0, 12)}.signed.json`));
    expect(second.loanId).not.toBe(loanId);

    // Tampered and foreign files.
    const edited = file("edited.json", JSON.stringify({ ...content, terms: { ...content.terms, principal: "5000000" } }));
    expect(await refused(bank, ["loan", "accept-signed", edited, "--valuation", "6000000"], 1)).toMatch(
      new RegExp(
        `^Error: the signature is not ${orchard.address}'s over these terms \\(loan ${LOAN_ID}\\): they were changed after signing, ` +
          `or signed by another key or for another lien registry \\(InvalidBorrowerSignature\\)$`,
      ),
    );
    expect(await refused(orchard, ["loan", "revoke-signed", edited], 1)).toMatch(
      new RegExp(`^Error: the terms in ${edited} hash to loan ${LOAN_ID}, not to its loanId ${loanId}: they were changed after signing`),
    );
    const foreign = (name: string, changes: Record<string, unknown>) => file(name, JSON.stringify({ ...content, ...changes }));
    expect(await refused(bank, ["loan", "accept-signed", foreign("chain.json", { chainId: 1 }), "--valuation", "6000000"], 2)).toBe(
      `Error: ${path.join(dir, "chain.json")}: chainId is 1: it was signed for another chain than this deployment's (chain ${chain.deployment.chainId})`,
    );
    expect(await refused(bank, ["loan", "accept-signed", foreign("registry.json", { lienRegistry: buyer.address }), "--valuation", "6000000"], 2)).toBe(
      `Error: ${path.join(dir, "registry.json")}: lienRegistry is "${buyer.address}": it was signed for another lien registry than this deployment's (${chain.deployment.contracts.LienRegistry})`,
    );
    expect(await refused(bank, ["loan", "accept-signed", foreign("format.json", { format: "tracefin-anchor-manifest/1" }), "--valuation", "6000000"], 2)).toContain(
      `${path.join(dir, "format.json")}: format is "tracefin-anchor-manifest/1", not "tracefin-signed-loan-terms/1"`,
    );
    expect(await refused(orchard, ["loan", "revoke-signed", foreign("no-format.json", { format: undefined })], 2)).toContain("no-format.json: format missing");
    const badPrincipal = file("bad-principal.json", JSON.stringify({ ...content, terms: { ...content.terms, principal: "40000.00" } }));
    expect(await refused(bank, ["loan", "accept-signed", badPrincipal, "--valuation", "6000000"], 2)).toContain('terms.principal is "40000.00", not a whole number');
    expect(await refused(bank, ["loan", "accept-signed", file("not-json.json", "{"), "--valuation", "6000000"], 2)).toContain("is not valid JSON");
    expect(await refused(bank, ["loan", "accept-signed", path.join(dir, "missing.json"), "--valuation", "6000000"], 2)).toContain("<file>: cannot read");
    expect(await refused(bank, ["loan", "accept-signed", signedFile], 2)).toContain("required option '--valuation <minor units>' not specified");

    // The borrower revokes the second terms; only it may.
    expect(await refused(bank, ["loan", "revoke-signed", second.file], 1)).toBe(`Error: ${bank.address} is not the borrower of loan ${second.loanId} (NotBorrower)`);
    expect(await ok(orchard, ["loan", "revoke-signed", second.file])).toMatch(
      new RegExp(`^Revoked the signed terms of loan ${second.loanId} on receipt ${receipts.apples}: they can never be accepted ${TX}$`),
    );
    const alreadyUsed = (id: string) =>
      `Error: loan ${id} already exists: these exact terms were offered before, or, signed, were already accepted or revoked by the borrower ` +
      "(a signature is good for one loan only) (OfferAlreadyExists)";
    expect(await refused(bank, ["loan", "accept-signed", second.file, "--valuation", "6000000"], 1)).toBe(alreadyUsed(second.loanId));

    // The bank accepts the first terms: offer and acceptance in one transaction.
    expect(await refused(buyer, ["loan", "accept-signed", signedFile, "--valuation", "6000000"], 1)).toBe(
      `Error: ${buyer.address} is not the financier of loan ${loanId} (NotFinancier)`,
    );
    expect(await ok(bank, ["loan", "accept-signed", signedFile, "--valuation", "6000000"])).toMatch(
      new RegExp(`^Loan ${loanId} is active: CNY 40,000.00 against receipt ${receipts.apples} valued at CNY 60,000.00, LTV 66.67% ${TX}$`),
    );
    expect(await okJson(null, ["loan", "show", loanId])).toMatchObject({ status: "active", outstanding: "4000000", valuation: "6000000", ltvBps: 6667 });
    expect(await okJson(null, ["receipt", "show", receipts.apples])).toMatchObject({ holder: orchard.address, pledged: true, loanId });

    // The file is good for one loan only; the pledged receipt cannot be signed again, nor the used terms revoked.
    expect(await refused(bank, ["loan", "accept-signed", signedFile, "--valuation", "6000000"], 1)).toBe(alreadyUsed(loanId));
    expect(await refused(orchard, ["loan", "revoke-signed", signedFile], 1)).toBe(
      `Error: loan ${loanId} is active, which this operation does not allow (InvalidLoanStatus)`,
    );
    expect(await refused(orchard, signArgs(path.join(dir, "twice.json")), 1)).toBe(
      `Error: the goods already back active loan ${loanId}; they cannot be pledged twice (CollateralAlreadyPledged)`,
    );
    expect(fs.existsSync(path.join(dir, "twice.json"))).toBe(false);
  });
});
