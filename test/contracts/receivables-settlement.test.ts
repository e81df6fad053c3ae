/// <reference types="mocha" />
import { expect } from "chai";
import type { Signer } from "ethers";
import { loadFixture, ZERO_HASH } from "./fixtures";
import { admitWallets, confirmedFixture, FACE_VALUE, PAYMENT_REF, ReceivableStatus, splitFixture } from "./receivable-fixtures";

const HOLDERS = 55;

/** Receivable 1 distributed by the orchard to 55 fresh members in uneven amounts (the orchard keeps the rest). */
async function manyHoldersFixture() {
  const f = await loadFixture(confirmedFixture);
  const wallets = await admitWallets(f, HOLDERS, "supplier");
  const holders: string[] = [];
  for (let i = 0; i < wallets.length; i++) {
    const address = await wallets[i].getAddress();
    // 1,234,567 + i * 7,919 minor units: amounts that do not divide evenly.
    await f.receivables
      .connect(f.orchard)
      .safeTransferFrom(f.orchard.address, address, f.receivableId, 1_234_567n + BigInt(i) * 7_919n, "0x");
    holders.push(address);
  }
  holders.push(f.orchard.address);
  const balances = new Map<string, bigint>();
  for (const h of holders) balances.set(h, await f.receivables.balanceOf(h, f.receivableId));
  return { ...f, wallets, holders, balances };
}

/** Splits `list` into batches of `size`. */
function batches<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

describe("Receivables: settlement", function () {
  it("distributes to 56 holders whose amounts add up to the face value", async function () {
    const { receivables, holders, balances, receivableId } = await loadFixture(manyHoldersFixture);
    expect(holders.length).to.equal(HOLDERS + 1);
    let sum = 0n;
    for (const h of holders) sum += balances.get(h)!;
    expect(sum).to.equal(FACE_VALUE);
    expect(await receivables.balanceOf(holders[0], receivableId)).to.equal(1_234_567n);
  });

  it("settles 56 holders pro rata over a partial and a final payment, exactly, in batches in any order", async function () {
    const { receivables, juicePlant, holders, balances, receivableId } = await loadFixture(manyHoldersFixture);
    const firstPayment = 33_333_333n;
    await receivables.connect(juicePlant).recordPayment(receivableId, firstPayment, PAYMENT_REF);

    // Partial: reversed order, batches of 20, and the first batch repeated.
    const reversed = [...holders].reverse();
    const partialBatches = batches(reversed, 20);
    let events = 0;
    for (const batch of [...partialBatches, partialBatches[0]]) {
      const receipt = await (await receivables.settleHolders(receivableId, batch)).wait();
      events += receipt!.logs.filter((log) => log.topics[0] === receivables.interface.getEvent("HolderSettled").topicHash).length;
    }
    expect(events).to.equal(holders.length); // the repeated batch settled nobody twice
    let settledSum = 0n;
    for (const h of holders) {
      const expected = (balances.get(h)! * firstPayment) / FACE_VALUE;
      expect(await receivables.settledOf(receivableId, h)).to.equal(expected);
      settledSum += expected;
    }
    let view = await receivables.receivableOf(receivableId);
    expect(view.settledTotal).to.equal(settledSum);
    expect(settledSum <= firstPayment).to.equal(true);
    expect(view.inSettlement).to.equal(true);
    // Nothing closed yet: balances are intact.
    expect(await receivables.balanceOf(holders[3], receivableId)).to.equal(balances.get(holders[3]));

    // Final payment: shuffled order (odd indexes, then even ones), batches of 25.
    await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE - firstPayment, PAYMENT_REF);
    const shuffled = [...holders.filter((_, i) => i % 2 === 1), ...holders.filter((_, i) => i % 2 === 0)];
    const finalBatches = batches(shuffled, 25);
    for (let i = 0; i < finalBatches.length; i++) {
      const tx = receivables.settleHolders(receivableId, finalBatches[i]);
      const h = finalBatches[i][0];
      await expect(tx)
        .to.emit(receivables, "HolderSettled")
        .withArgs(receivableId, h, balances.get(h)! - (balances.get(h)! * firstPayment) / FACE_VALUE, balances.get(h)!, 0n);
      await expect(tx).to.emit(receivables, "HolderClosed").withArgs(receivableId, h);
      if (i === finalBatches.length - 1) await expect(tx).to.emit(receivables, "ReceivableSettled").withArgs(receivableId);
      else await expect(tx).not.to.emit(receivables, "ReceivableSettled");
    }
    let total = 0n;
    for (const h of holders) {
      expect(await receivables.balanceOf(h, receivableId)).to.equal(0n);
      const settled = await receivables.settledOf(receivableId, h);
      expect(settled).to.equal(balances.get(h));
      total += settled;
    }
    expect(total).to.equal(FACE_VALUE);
    view = await receivables.receivableOf(receivableId);
    expect(view.status).to.equal(ReceivableStatus.Settled);
    expect(view.settledTotal).to.equal(FACE_VALUE);
    expect(view.closedTotal).to.equal(FACE_VALUE);
    expect(view.outstanding).to.equal(0n);
    await expect(receivables.settleHolders(receivableId, holders.slice(0, 3)))
      .to.be.revertedWithCustomError(receivables, "InvalidStatus")
      .withArgs(receivableId, ReceivableStatus.Settled);
  });

  it("a holder listed twice in one call is settled once; non-holders are skipped", async function () {
    const { receivables, juicePlant, orchard, tier2, tier3, outsider, receivableId } = await loadFixture(splitFixture);
    await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE / 2n, PAYMENT_REF);
    const tx = receivables.connect(outsider).settleHolders(receivableId, [tier3.address, tier3.address, outsider.address]);
    await expect(tx).to.emit(receivables, "HolderSettled").withArgs(receivableId, tier3.address, 5_000_000n, 5_000_000n, 0n);
    const receipt = await (await tx).wait();
    expect(receipt!.logs.length).to.equal(1);
    expect(await receivables.settledOf(receivableId, outsider.address)).to.equal(0n);
    // The rest is settled by anyone, later.
    await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE / 2n, PAYMENT_REF);
    await receivables.settleHolders(receivableId, [orchard.address, tier2.address, tier3.address]);
    expect((await receivables.receivableOf(receivableId)).status).to.equal(ReceivableStatus.Settled);
    expect(await receivables.settledOf(receivableId, tier3.address)).to.equal(10_000_000n);
  });

  it("refuses settlement before a payment, while frozen or disputed, and of unknown or unconfirmed receivables", async function () {
    const { receivables, juicePlant, regulator, orchard, receivableId } = await loadFixture(splitFixture);
    await expect(receivables.settleHolders(receivableId, [orchard.address]))
      .to.be.revertedWithCustomError(receivables, "NothingPaid")
      .withArgs(receivableId);
    await receivables.connect(juicePlant).recordPayment(receivableId, 1_000n, PAYMENT_REF);
    await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
    await expect(receivables.settleHolders(receivableId, [orchard.address]))
      .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
      .withArgs(receivableId);
    await receivables.connect(regulator).unfreeze(receivableId, ZERO_HASH);
    await receivables.connect(juicePlant).dispute(receivableId, ZERO_HASH);
    await expect(receivables.settleHolders(receivableId, [orchard.address]))
      .to.be.revertedWithCustomError(receivables, "ReceivableIsDisputed")
      .withArgs(receivableId);
    await expect(receivables.settleHolders(42n, [])).to.be.revertedWithCustomError(receivables, "UnknownReceivable").withArgs(42n);
  });

  it("a holder's due grows only with payments: settling again without a new payment settles nothing", async function () {
    const { receivables, juicePlant, orchard, receivableId } = await loadFixture(splitFixture);
    await receivables.connect(juicePlant).recordPayment(receivableId, 10_000_000n, PAYMENT_REF);
    await receivables.settleHolders(receivableId, [orchard.address]);
    expect(await receivables.settledOf(receivableId, orchard.address)).to.equal(6_000_000n);
    await expect(receivables.settleHolders(receivableId, [orchard.address])).not.to.emit(receivables, "HolderSettled");
    await receivables.connect(juicePlant).recordPayment(receivableId, 10_000_000n, PAYMENT_REF);
    await expect(receivables.settleHolders(receivableId, [orchard.address]))
      .to.emit(receivables, "HolderSettled")
      .withArgs(receivableId, orchard.address, 6_000_000n, 12_000_000n, 0n);
  });

  it("wallet helper: fresh members are funded and admitted", async function () {
    const f = await loadFixture(confirmedFixture);
    const [wallet] = (await admitWallets(f, 1, "extra")) as Signer[];
    expect(await f.registry.isActiveMember(await wallet.getAddress())).to.equal(true);
  });
});
