/// <reference types="mocha" />
import { expect } from "chai";
import { ethers } from "hardhat";
import type { ILienRegistry } from "../../typechain-types/contracts/finance/LienRegistry";
import { hashOf, loadFixture, Role, time, ZERO_HASH } from "./fixtures";
import { LoanStatus, signTerms } from "./lien-fixtures";
import { FACE_VALUE, impersonateLienRegistry, lotKey, PAYMENT_REF, ReceivableStatus, splitFixture } from "./receivable-fixtures";
import { CNY, DAY } from "./receipt-fixtures";

/** tier3 (10,000,000 minor units) earmarks 8,000,000 into lot 1. */
async function earmarkedFixture() {
  const f = await loadFixture(splitFixture);
  await f.receivables.connect(f.tier3).earmark(f.receivableId, 8_000_000n);
  const now = BigInt(await time.latest());
  const termsFor = async (overrides: Partial<ILienRegistry.LoanTermsStruct> = {}): Promise<ILienRegistry.LoanTermsStruct> => ({
    collateral: await f.receivables.getAddress(),
    collateralId: 1n,
    borrower: f.tier3.address,
    financier: f.bank.address,
    principal: 6_000_000n,
    currency: CNY,
    maturity: now + 60n * DAY,
    rateBps: 500,
    marginCallLtvBps: 9_000,
    offerExpiresAt: now + 7n * DAY,
    salt: hashOf("receivable loan 1"),
    ...overrides,
  });
  const terms = await termsFor();
  return { ...f, lotId: 1n, key: await lotKey(f.receivables, 1n), termsFor, terms };
}

/** Lot 1 pledged to the bank through the real lien registry (offer + accept). */
async function pledgedLotFixture() {
  const f = await loadFixture(earmarkedFixture);
  await f.liens.connect(f.tier3).offer(f.terms);
  await f.liens.connect(f.bank).accept(f.terms, 8_000_000n);
  return { ...f, loanId: await f.liens.loanIdOf(f.terms) };
}

describe("Receivables: earmarks, pledges and double financing", function () {
  describe("earmark and releaseLot", function () {
    it("earmarks part of the free amount into a lot (LotEarmarked)", async function () {
      const { receivables, tier3, receivableId } = await loadFixture(splitFixture);
      await expect(receivables.connect(tier3).earmark(receivableId, 8_000_000n))
        .to.emit(receivables, "LotEarmarked")
        .withArgs(1n, receivableId, tier3.address, 8_000_000n);
      expect(await receivables.earmarkedOf(receivableId, tier3.address)).to.equal(8_000_000n);
      expect(await receivables.freeAmountOf(receivableId, tier3.address)).to.equal(2_000_000n);
      const lot = await receivables.lotOf(1n);
      expect([lot.holder, lot.amount, lot.receivableId, lot.pledged]).to.deep.equal([tier3.address, 8_000_000n, receivableId, false]);
      expect(await receivables.collateralHolder(1n)).to.equal(tier3.address);
      expect(await receivables.collateralKey(1n)).to.equal(await lotKey(receivables, 1n));
    });

    it("refuses zero, more than the free amount, and earmarking an earmarked amount again", async function () {
      const { receivables, tier3, receivableId } = await loadFixture(earmarkedFixture);
      await expect(receivables.connect(tier3).earmark(receivableId, 0n)).to.be.revertedWithCustomError(receivables, "ZeroAmount");
      await expect(receivables.connect(tier3).earmark(receivableId, 2_000_001n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 2_000_001n, 2_000_000n);
      await receivables.connect(tier3).earmark(receivableId, 2_000_000n);
      await expect(receivables.connect(tier3).earmark(receivableId, 1n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 1n, 0n);
    });

    it("refuses earmarks on unconfirmed, disputed, frozen or paid receivables, and by suspended members", async function () {
      const { receivables, registry, admin, juicePlant, regulator, tier2, receivableId } = await loadFixture(splitFixture);
      await receivables.connect(juicePlant).dispute(receivableId, ZERO_HASH);
      await expect(receivables.connect(tier2).earmark(receivableId, 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsDisputed")
        .withArgs(receivableId);
      await receivables.connect(juicePlant).resolveDispute(receivableId, ZERO_HASH);
      await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
      await expect(receivables.connect(tier2).earmark(receivableId, 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await receivables.connect(regulator).unfreeze(receivableId, ZERO_HASH);
      await registry.connect(admin).suspend(tier2.address, ZERO_HASH);
      await expect(receivables.connect(tier2).earmark(receivableId, 1n))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(tier2.address, Role.ANY_MEMBER);
      await receivables.connect(juicePlant).recordPayment(receivableId, 1n, PAYMENT_REF);
      await expect(receivables.connect(juicePlant).earmark(receivableId, 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableInSettlement")
        .withArgs(receivableId, 1n);
      await expect(receivables.earmark(9n, 1n)).to.be.revertedWithCustomError(receivables, "UnknownReceivable").withArgs(9n);
    });

    it("the holder frees an unpledged lot (LotReleased); nobody else can", async function () {
      const { receivables, tier3, tier2, receivableId, lotId } = await loadFixture(earmarkedFixture);
      await expect(receivables.connect(tier2).releaseLot(lotId))
        .to.be.revertedWithCustomError(receivables, "NotLotHolder")
        .withArgs(lotId, tier2.address, tier3.address);
      await expect(receivables.connect(tier3).releaseLot(lotId))
        .to.emit(receivables, "LotReleased")
        .withArgs(lotId, receivableId, tier3.address, 8_000_000n);
      expect(await receivables.freeAmountOf(receivableId, tier3.address)).to.equal(10_000_000n);
      await expect(receivables.lotOf(lotId)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(lotId);
      await expect(receivables.collateralKey(lotId)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(lotId);
      await expect(receivables.collateralHolder(lotId)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(lotId);
      await expect(receivables.connect(tier3).releaseLot(lotId)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(lotId);
    });
  });

  describe("double financing is impossible", function () {
    it("an earmarked amount cannot be transferred (AmountEarmarked) or sold (InsufficientFreeAmount)", async function () {
      const { receivables, tier3, tier2, bank, receivableId } = await loadFixture(earmarkedFixture);
      await expect(receivables.connect(tier3).safeTransferFrom(tier3.address, tier2.address, receivableId, 2_000_001n, "0x"))
        .to.be.revertedWithCustomError(receivables, "AmountEarmarked")
        .withArgs(receivableId, tier3.address, 8_000_000n);
      await receivables.connect(tier3).safeTransferFrom(tier3.address, tier2.address, receivableId, 2_000_000n, "0x");
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 1n, 1n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 1n, 0n);
    });

    it("an offered sale cannot take an amount earmarked after the offer", async function () {
      const { receivables, tier3, bank, receivableId } = await loadFixture(earmarkedFixture);
      await receivables.connect(tier3).offerSale(receivableId, bank.address, 2_000_000n, 1_900_000n);
      await receivables.connect(tier3).earmark(receivableId, 1n);
      await expect(receivables.connect(bank).acceptSale(1n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 2_000_000n, 1_999_999n);
    });

    it("a pledged lot cannot be pledged again, to the same or another bank (CollateralAlreadyPledged)", async function () {
      const { liens, tier3, secondBank, termsFor, key, loanId } = await loadFixture(pledgedLotFixture);
      await expect(liens.connect(tier3).offer(await termsFor({ salt: hashOf("again") })))
        .to.be.revertedWithCustomError(liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
      await expect(liens.connect(tier3).offer(await termsFor({ financier: secondBank.address })))
        .to.be.revertedWithCustomError(liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
    });

    it("a pledged lot cannot be freed by its holder (LotAlreadyPledged)", async function () {
      const { receivables, tier3, lotId } = await loadFixture(pledgedLotFixture);
      await expect(receivables.connect(tier3).releaseLot(lotId)).to.be.revertedWithCustomError(receivables, "LotAlreadyPledged").withArgs(lotId);
    });

    it("a second receivable for the same invoice is refused, so the invoice backs one set of lots", async function () {
      const { receivables, orchard, juicePlant, dueDate, receivableId } = await loadFixture(pledgedLotFixture);
      const invoice = (await receivables.queryFilter(receivables.filters.ReceivableRegistered(receivableId)))[0].args.invoiceHash;
      await expect(receivables.connect(orchard).register(juicePlant.address, FACE_VALUE, CNY, dueDate, 0, invoice, ZERO_HASH))
        .to.be.revertedWithCustomError(receivables, "InvoiceAlreadyUsed")
        .withArgs(invoice, receivableId);
    });

    it("a lot cannot be locked while its receivable is disputed, frozen or in settlement", async function () {
      const { receivables, liens, tier3, bank, juicePlant, regulator, terms, receivableId } = await loadFixture(earmarkedFixture);
      await liens.connect(tier3).offer(terms);
      await receivables.connect(juicePlant).dispute(receivableId, ZERO_HASH);
      await expect(liens.connect(bank).accept(terms, 8_000_000n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsDisputed")
        .withArgs(receivableId);
      await receivables.connect(juicePlant).resolveDispute(receivableId, ZERO_HASH);
      await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
      await expect(liens.connect(bank).accept(terms, 8_000_000n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await receivables.connect(regulator).unfreeze(receivableId, ZERO_HASH);
      await receivables.connect(juicePlant).recordPayment(receivableId, 10n, PAYMENT_REF);
      await expect(liens.connect(bank).accept(terms, 8_000_000n))
        .to.be.revertedWithCustomError(receivables, "ReceivableInSettlement")
        .withArgs(receivableId, 10n);
    });

    it("nothing moves, is sold or earmarked once in settlement", async function () {
      const { receivables, tier3, tier2, bank, juicePlant, receivableId } = await loadFixture(earmarkedFixture);
      await receivables.connect(juicePlant).recordPayment(receivableId, 10n, PAYMENT_REF);
      await expect(receivables.connect(tier3).safeTransferFrom(tier3.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "ReceivableInSettlement")
        .withArgs(receivableId, 10n);
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 1n, 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableInSettlement")
        .withArgs(receivableId, 10n);
    });
  });

  describe("the pledge flow through the LienRegistry", function () {
    it("offer + accept locks the lot (LotPledgeStatusChanged); the lien sits on the lot's key", async function () {
      const { receivables, liens, tier3, bank, terms, key, lotId, receivableId } = await loadFixture(earmarkedFixture);
      await liens.connect(tier3).offer(terms);
      const loanId = await liens.loanIdOf(terms);
      await expect(liens.connect(bank).accept(terms, 8_000_000n))
        .to.emit(receivables, "LotPledgeStatusChanged")
        .withArgs(lotId, receivableId, true);
      expect(await liens.lienOn(key)).to.equal(loanId);
      expect((await receivables.lotOf(lotId)).pledged).to.equal(true);
    });

    it("acceptSigned pledges a lot in one transaction", async function () {
      const { receivables, liens, tier3, bank, terms, lotId } = await loadFixture(earmarkedFixture);
      await liens.connect(bank).acceptSigned(terms, 8_000_000n, await signTerms(tier3, liens, terms));
      expect((await receivables.lotOf(lotId)).pledged).to.equal(true);
    });

    it("repay, releasePart (returns 0: the part is free again), release, then releaseLot", async function () {
      const { receivables, liens, tier3, bank, terms, lotId, loanId, receivableId } = await loadFixture(pledgedLotFixture);
      await liens.connect(bank).recordRepayment(terms, 3_000_000n, hashOf("repayment"));
      expect(await liens.connect(bank).releasePart.staticCall(terms, 3_000_000n)).to.equal(0n);
      await expect(liens.connect(bank).releasePart(terms, 3_000_000n))
        .to.emit(receivables, "LotReduced")
        .withArgs(lotId, receivableId, 3_000_000n, 5_000_000n)
        .and.to.emit(liens, "CollateralPartReleased")
        .withArgs(loanId, 0n, 3_000_000n);
      expect(await receivables.freeAmountOf(receivableId, tier3.address)).to.equal(5_000_000n);
      await expect(liens.connect(bank).releasePart(terms, 5_000_000n))
        .to.be.revertedWithCustomError(receivables, "InvalidLotAmount")
        .withArgs(lotId, 5_000_000n);
      await expect(liens.connect(bank).releasePart(terms, 0n)).to.be.revertedWithCustomError(receivables, "InvalidLotAmount").withArgs(lotId, 0n);
      await expect(liens.connect(bank).release(terms)).to.emit(receivables, "LotPledgeStatusChanged").withArgs(lotId, receivableId, false);
      // The lot stays earmarked until its holder frees it.
      expect(await receivables.earmarkedOf(receivableId, tier3.address)).to.equal(5_000_000n);
      await receivables.connect(tier3).releaseLot(lotId);
      expect(await receivables.freeAmountOf(receivableId, tier3.address)).to.equal(10_000_000n);
      expect((await liens.loanOf(loanId)).status).to.equal(LoanStatus.Released);
    });

    it("enforce seizes the lot's amount to the financier's buyer, even from a suspended holder (LotSeized)", async function () {
      const { receivables, liens, registry, admin, tier3, tier2, bank, terms, lotId, receivableId } = await loadFixture(pledgedLotFixture);
      await time.increaseTo(BigInt(terms.maturity) + 1n);
      await registry.connect(admin).suspend(tier3.address, hashOf("insolvent"));
      const tx = liens.connect(bank).enforce(terms, tier2.address);
      await expect(tx).to.emit(receivables, "LotSeized").withArgs(lotId, receivableId, tier3.address, tier2.address, 8_000_000n);
      await expect(tx).to.emit(receivables, "TransferSingle").withArgs(await liens.getAddress(), tier3.address, tier2.address, receivableId, 8_000_000n);
      expect(await receivables.balanceOf(tier3.address, receivableId)).to.equal(2_000_000n);
      expect(await receivables.earmarkedOf(receivableId, tier3.address)).to.equal(0n);
      expect(await receivables.balanceOf(tier2.address, receivableId)).to.equal(38_000_000n);
      await expect(receivables.lotOf(lotId)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(lotId);
    });

    it("enforcement is stopped by a freeze and by settlement; a frozen lien can still be released", async function () {
      const { receivables, liens, tier2, bank, regulator, juicePlant, terms, lotId, receivableId } = await loadFixture(pledgedLotFixture);
      await time.increaseTo(BigInt(terms.maturity) + 1n);
      await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
      await expect(liens.connect(bank).enforce(terms, tier2.address))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await expect(liens.connect(bank).releasePart(terms, 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await receivables.connect(regulator).unfreeze(receivableId, ZERO_HASH);
      await receivables.connect(juicePlant).recordPayment(receivableId, 5n, PAYMENT_REF);
      await expect(liens.connect(bank).enforce(terms, tier2.address))
        .to.be.revertedWithCustomError(receivables, "ReceivableInSettlement")
        .withArgs(receivableId, 5n);
      await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
      await liens.connect(bank).release(terms);
      expect((await receivables.lotOf(lotId)).pledged).to.equal(false);
    });

    it("ICollateral functions refuse any caller but the lien registry (NotLienRegistry)", async function () {
      const { receivables, tier3, lotId } = await loadFixture(earmarkedFixture);
      for (const call of [
        receivables.connect(tier3).lock(lotId),
        receivables.connect(tier3).unlock(lotId),
        receivables.connect(tier3).seize(lotId, tier3.address),
        receivables.connect(tier3).releasePart(lotId, 1n),
      ]) {
        await expect(call).to.be.revertedWithCustomError(receivables, "NotLienRegistry").withArgs(tier3.address);
      }
    });

    it("checks the lot's state on direct calls from the lien registry", async function () {
      const f = await loadFixture(earmarkedFixture);
      const { receivables, lotId, outsider } = f;
      const registrySigner = await impersonateLienRegistry(f);
      await expect(receivables.connect(registrySigner).unlock(lotId)).to.be.revertedWithCustomError(receivables, "LotNotPledged").withArgs(lotId);
      await expect(receivables.connect(registrySigner).seize(lotId, outsider.address))
        .to.be.revertedWithCustomError(receivables, "LotNotPledged")
        .withArgs(lotId);
      await expect(receivables.connect(registrySigner).releasePart(lotId, 1n))
        .to.be.revertedWithCustomError(receivables, "LotNotPledged")
        .withArgs(lotId);
      await receivables.connect(registrySigner).lock(lotId);
      await expect(receivables.connect(registrySigner).lock(lotId)).to.be.revertedWithCustomError(receivables, "LotAlreadyPledged").withArgs(lotId);
      await expect(receivables.connect(registrySigner).seize(lotId, outsider.address))
        .to.be.revertedWithCustomError(receivables, "TransferToNonMember")
        .withArgs(outsider.address);
      await expect(receivables.connect(registrySigner).lock(99n)).to.be.revertedWithCustomError(receivables, "UnknownLot").withArgs(99n);
    });

    it("a fully settled pledged lot is unlocked by the lien registry and then dissolved by its holder", async function () {
      const { receivables, liens, tier3, bank, juicePlant, terms, lotId, receivableId } = await loadFixture(pledgedLotFixture);
      await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE, PAYMENT_REF);
      await expect(receivables.settleHolders(receivableId, [tier3.address]))
        .to.emit(receivables, "HolderSettled")
        .withArgs(receivableId, tier3.address, 10_000_000n, 10_000_000n, 8_000_000n);
      expect(await receivables.earmarkedOf(receivableId, tier3.address)).to.equal(0n);
      await liens.connect(bank).release(terms);
      await expect(receivables.connect(tier3).releaseLot(lotId))
        .to.emit(receivables, "LotReleased")
        .withArgs(lotId, receivableId, tier3.address, 8_000_000n);
      expect((await receivables.receivableOf(receivableId)).status).to.equal(ReceivableStatus.Confirmed);
      void ethers;
    });
  });
});
