/**
 * Gas of confirmed receivables, for bench/gas.ts: an auto maker confirms a payable to a tier-1
 * supplier, which pays its own suppliers with parts of it, earmarks and pledges a part, sells a part to
 * a bank; the auto maker pays and holders are settled in batches of 10, 50 and 200.
 * Every measured call runs in steady state (receivable, lot and sale counters already non-zero).
 */
import { ethers, network } from "hardhat";
import type { LedgerContracts } from "../shared/chain/contracts";
import { REGISTRATION_TYPES, registrationDomain } from "../shared/chain/receivable-registration";
import { gasOf, type Row } from "./gas-support";

const Role = { ENTERPRISE: 1, FINANCIER: 8 } as const;
const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
const DAY = 86_400;
const FACE = 100_000_000n; // 1,000,000.00 CNY

const fmt = (n: bigint): string => Number(n).toLocaleString("en-US");

export async function receivableRows({ registry, liens, receivables }: LedgerContracts): Promise<Row[]> {
  const signers = await ethers.getSigners();
  const admin = signers[0];
  const [creditor, debtor, tier2, tier3, bank] = signers.slice(15, 20);
  const rows: Row[] = [];
  const doc = (text: string): string => ethers.id(text);
  const now = async (): Promise<number> => (await ethers.provider.getBlock("latest"))!.timestamp;

  const members: [typeof creditor, number, string][] = [
    [creditor, Role.ENTERPRISE, "Yantai Auto Parts Tier-1 Co Ltd"],
    [debtor, Role.ENTERPRISE, "Yantai Automobile Manufacturing Co Ltd"],
    [tier2, Role.ENTERPRISE, "Laiyang Castings Co Ltd"],
    [tier3, Role.ENTERPRISE, "Longkou Fasteners Co Ltd"],
    [bank, Role.FINANCIER, "Yantai Bank Supply Chain Finance"],
  ];
  for (const [account, roles, name] of members) {
    await (await registry.connect(admin).admit(account.address, roles, doc(`USCC ${name}`), name, "", doc(name))).wait();
  }

  let invoices = 0;
  const args = async (face: bigint = FACE) =>
    [debtor.address, face, CNY, (await now()) + 90 * DAY, 10 * DAY, doc(`invoice ${++invoices}`), doc("delivery note")] as const;
  /** Registers (creditor) and confirms (debtor) a receivable; returns its id and both gas figures. */
  const registerAndConfirm = async (face: bigint = FACE) => {
    const a = await args(face);
    const id = await receivables.connect(creditor).register.staticCall(...a);
    const registerGas = await gasOf(receivables.connect(creditor).register(...a));
    const confirmGas = await gasOf(receivables.connect(debtor).confirm(id));
    return { id, registerGas, confirmGas };
  };

  // Warm-up: receivable counter 0 -> 1.
  await registerAndConfirm();
  const main = await registerAndConfirm();
  rows.push({ operation: "receivable register", gas: main.registerGas, note: "2 slots, invoice slot, creditor slot, mint" });
  rows.push({ operation: "receivable confirm", gas: main.confirmGas, note: "status; the creditor slot cleared (refund)" });
  rows.push({
    operation: "receivable register + confirm",
    gas: main.registerGas + main.confirmGas,
    target: 150_000,
    note: `${fmt(main.registerGas)} + ${fmt(main.confirmGas)}; two transactions`,
  });

  const { chainId } = await ethers.provider.getNetwork();
  const domain = registrationDomain(chainId, await receivables.getAddress());
  const registration = {
    creditor: creditor.address,
    debtor: debtor.address,
    faceValue: FACE,
    currency: CNY,
    dueDate: (await now()) + 90 * DAY,
    graceSeconds: 10 * DAY,
    invoiceHash: doc("invoice signed"),
    documentHash: doc("delivery note"),
    salt: doc("salt 1"),
  };
  const signature = await debtor.signTypedData(domain, REGISTRATION_TYPES, registration);
  rows.push({
    operation: "receivable registerConfirmed (signed)",
    gas: await gasOf(receivables.connect(creditor).registerConfirmed(registration, signature)),
    target: 150_000,
    note: "one transaction with the debtor's EIP-712 signature",
  });

  const id = main.id;
  rows.push({
    operation: "receivable transfer part (new holder)",
    gas: await gasOf(receivables.connect(creditor).safeTransferFrom(creditor.address, tier2.address, id, 30_000_000n, "0x")),
    target: 90_000,
    note: "ERC-1155 safeTransferFrom; recipient's balance 0 -> x",
  });
  rows.push({
    operation: "receivable transfer part (existing holder)",
    gas: await gasOf(receivables.connect(creditor).safeTransferFrom(creditor.address, tier2.address, id, 10_000_000n, "0x")),
    target: 60_000,
    note: "both balances non-zero; membership of both checked",
  });
  await (await receivables.connect(tier2).safeTransferFrom(tier2.address, tier3.address, id, 10_000_000n, "0x")).wait();

  // Warm-up of the lot and sale counters.
  await (await receivables.connect(creditor).earmark(id, 1n)).wait();
  await (await receivables.connect(creditor).offerSale(id, bank.address, 1n, 1n)).wait();
  const earmarkGas = await gasOf(receivables.connect(tier2).earmark(id, 20_000_000n));
  rows.push({ operation: "receivable earmark (lot)", gas: earmarkGas, note: "lot (2 slots) and the holder's earmark" });
  const lotId = 2n; // lot 1 is the warm-up
  const terms = {
    collateral: await receivables.getAddress(),
    collateralId: lotId,
    borrower: tier2.address,
    financier: bank.address,
    principal: 15_000_000n,
    currency: CNY,
    maturity: (await now()) + 60 * DAY,
    rateBps: 500,
    marginCallLtvBps: 9_000,
    offerExpiresAt: (await now()) + 7 * DAY,
    salt: doc("receivable loan"),
  };
  const offerGas = await gasOf(liens.connect(tier2).offer(terms));
  const acceptGas = await gasOf(liens.connect(bank).accept(terms, 20_000_000n));
  rows.push({
    operation: "receivable pledge (offer + accept)",
    gas: offerGas + acceptGas,
    note: `${fmt(offerGas)} + ${fmt(acceptGas)} through the LienRegistry; earmark not included`,
  });
  const saleOffer = await gasOf(receivables.connect(tier3).offerSale(id, bank.address, 5_000_000n, 4_850_000n));
  const saleAccept = await gasOf(receivables.connect(bank).acceptSale(2n));
  rows.push({
    operation: "receivable sale (offer + accept)",
    gas: saleOffer + saleAccept,
    note: `${fmt(saleOffer)} + ${fmt(saleAccept)}; the financier is a new holder`,
  });
  rows.push({
    operation: "receivable recordPayment",
    gas: await gasOf(receivables.connect(debtor).recordPayment(id, 50_000_000n, doc("CNAPS 1"))),
    note: "O(1): paid total in slot 2",
  });
  rows.push({
    operation: "settleHolders, partial payment (5 holders)",
    gas: await gasOf(
      receivables.settleHolders(id, [creditor.address, tier2.address, tier3.address, bank.address, creditor.address]),
    ),
    note: "pro rata share recorded per holder; one holder listed twice",
  });

  // ---- settlement as the number of holders grows --------------------------------------------
  const wallets: string[] = [];
  for (let i = 0; i < 200; i++) {
    const wallet = ethers.Wallet.createRandom();
    await network.provider.send("hardhat_setBalance", [wallet.address, "0x1"]);
    await (await registry.connect(admin).admit(wallet.address, Role.ENTERPRISE, doc(`USCC bench holder ${i}`), `holder ${i}`, "", doc(`h${i}`))).wait();
    wallets.push(wallet.address);
  }
  for (const count of [10, 50, 200]) {
    const r = await registerAndConfirm(FACE);
    for (let i = 0; i < count - 1; i++) {
      await (await receivables.connect(creditor).safeTransferFrom(creditor.address, wallets[i], r.id, FACE / BigInt(count), "0x")).wait();
    }
    await (await receivables.connect(debtor).recordPayment(r.id, FACE, doc(`payment ${r.id}`))).wait();
    const holders = [...wallets.slice(0, count - 1), creditor.address];
    const gas = await gasOf(receivables.settleHolders(r.id, holders, { gasLimit: 16_000_000 }));
    rows.push({
      operation: `settleHolders, final payment (${count} holders)`,
      gas,
      note: `${fmt(gas / BigInt(holders.length))} per holder: settled, balance burned, closed`,
    });
  }
  return rows;
}
