/// <reference types="mocha" />
import { expect } from "chai";
import { APPLE_QUANTITY, hashOf, loadFixture, Role, time, ZERO_ADDRESS, ZERO_HASH } from "./fixtures";
import { activeLoanFixture, defaultedLoanFixture, offeredFixture, pledgeFixture, REPAYMENT_REF, VALUATION } from "./lien-fixtures";
import { issuance } from "./receipt-fixtures";

/**
 * Every way we could think of to raise money twice on the same apples, or to take them out from
 * under a lien. Each must fail, and say why.
 */
describe("Double financing is impossible", function () {
  describe("pledging goods that already back an active loan", function () {
    it("refuses a second pledge of the receipt to the same financier (CollateralAlreadyPledged)", async function () {
      const { liens, orchard, termsFor, key, loanId } = await loadFixture(activeLoanFixture);
      await expect(liens.connect(orchard).offer(termsFor({ salt: hashOf("second loan, same bank") })))
        .to.be.revertedWithCustomError(liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
    });

    it("refuses a second pledge of the receipt to another financier (CollateralAlreadyPledged)", async function () {
      const { liens, orchard, secondBank, termsFor, key, loanId } = await loadFixture(activeLoanFixture);
      await expect(liens.connect(orchard).offer(termsFor({ financier: secondBank.address })))
        .to.be.revertedWithCustomError(liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
    });

    it("refuses to accept a second offer on the same goods once the first was accepted", async function () {
      const { liens, receipts, orchard, bank, secondBank, terms, termsFor, key, loanId, receiptId } =
        await loadFixture(offeredFixture);
      // Two banks were offered the same receipt at the same time; the first one to accept wins.
      const competing = termsFor({ financier: secondBank.address });
      await liens.connect(orchard).offer(competing);
      await liens.connect(bank).accept(terms, VALUATION);
      await expect(liens.connect(secondBank).accept(competing, VALUATION))
        .to.be.revertedWithCustomError(liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
      expect(await liens.lienOn(key)).to.equal(loanId);
      expect((await receipts.receiptOf(receiptId)).pledged).to.equal(true);
    });

    it("refuses a second receipt over the same goods: the ledger keeps the batch under one receipt", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(activeLoanFixture);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard)))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { quantity: 1n })))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
    });
  });

  describe("taking pledged goods out from under the lien", function () {
    it("refuses to transfer a pledged receipt, directly or through an approved operator (ReceiptIsPledged)", async function () {
      const { receipts, orchard, juicePlant, receiptId } = await loadFixture(activeLoanFixture);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await expect(
        receipts.connect(orchard)["safeTransferFrom(address,address,uint256)"](orchard.address, juicePlant.address, receiptId),
      )
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await receipts.connect(orchard).approve(juicePlant.address, receiptId);
      await expect(receipts.connect(juicePlant).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
    });

    it("refuses to split a pledged receipt (ReceiptIsPledged): only the financier releases parts", async function () {
      const { receipts, orchard, receiptId } = await loadFixture(activeLoanFixture);
      await expect(receipts.connect(orchard).split(receiptId, [400n]))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
    });

    it("refuses to redeem a pledged receipt (ReceiptIsPledged)", async function () {
      const { receipts, orchard, receiptId } = await loadFixture(activeLoanFixture);
      await expect(receipts.connect(orchard).requestRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
    });

    it("refuses to ship the pledged goods out of the warehouse in the ledger (BatchUnderReceipt)", async function () {
      const { ledger, warehouse, juicePlant, appleBatch } = await loadFixture(activeLoanFixture);
      await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
      await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
    });

    it("keeps the pledged rest locked after a partial release", async function () {
      const { liens, receipts, bank, orchard, juicePlant, terms, receiptId } = await loadFixture(activeLoanFixture);
      await liens.connect(bank).releasePart(terms, 400n);
      await expect(receipts.connect(orchard).split(receiptId, [100n]))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
    });
  });

  describe("a frozen receipt (judicial freeze)", function () {
    it("cannot be pledged: accept refuses (ReceiptIsFrozen)", async function () {
      const { liens, receipts, regulator, bank, terms, receiptId, key } = await loadFixture(offeredFixture);
      await receipts.connect(regulator).freeze(receiptId, hashOf("court order 2025-QD-17"));
      await expect(liens.connect(bank).accept(terms, VALUATION))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsFrozen")
        .withArgs(receiptId);
      expect(await liens.lienOn(key)).to.equal(ZERO_HASH);
    });

    it("cannot be enforced on (ReceiptIsFrozen); it can once unfrozen", async function () {
      const { liens, receipts, regulator, bank, terms, receiptId } = await loadFixture(defaultedLoanFixture);
      await receipts.connect(regulator).freeze(receiptId, hashOf("court order 2025-QD-17"));
      await expect(liens.connect(bank).enforce(terms, bank.address))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsFrozen")
        .withArgs(receiptId);
      await receipts.connect(regulator).unfreeze(receiptId, hashOf("order lifted"));
      await expect(liens.connect(bank).enforce(terms, bank.address)).to.emit(liens, "LienEnforced");
    });

    it("cannot have a part released (ReceiptIsFrozen)", async function () {
      const { liens, receipts, regulator, bank, terms, receiptId } = await loadFixture(activeLoanFixture);
      await receipts.connect(regulator).freeze(receiptId, hashOf("court order 2025-QD-17"));
      await expect(liens.connect(bank).releasePart(terms, 400n))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsFrozen")
        .withArgs(receiptId);
    });
  });

  describe("an expired receipt", function () {
    it("can still be enforced on (the goods are in the warehouse), but not pledged or transferred (ReceiptExpired)", async function () {
      const { liens, receipts, bank, buyer, terms, receiptId, expiresAt } = await loadFixture(defaultedLoanFixture);
      await time.increaseTo(expiresAt);
      await expect(liens.connect(bank).enforce(terms, bank.address)).to.emit(liens, "LienEnforced");
      await expect(receipts.connect(bank).transferFrom(bank.address, buyer.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptExpired")
        .withArgs(receiptId, expiresAt);
    });
  });

  describe("suspended members", function () {
    it("a suspended borrower can neither offer nor withdraw nor have an offer accepted (MissingRole)", async function () {
      const { liens, registry, admin, orchard, bank, terms, termsFor } = await loadFixture(offeredFixture);
      await registry.connect(admin).suspend(orchard.address, hashOf("fraud inquiry"));
      const other = termsFor({ salt: hashOf("while suspended") });
      for (const attempt of [
        liens.connect(orchard).offer(other),
        liens.connect(orchard).withdrawOffer(terms),
        liens.connect(bank).accept(terms, VALUATION),
      ]) {
        await expect(attempt).to.be.revertedWithCustomError(registry, "MissingRole").withArgs(orchard.address, Role.ANY_MEMBER);
      }
    });

    it("a suspended financier can neither be offered to, accept, release nor enforce (MissingRole)", async function () {
      const { liens, registry, admin, orchard, bank, terms, termsFor } = await loadFixture(defaultedLoanFixture);
      const offered = termsFor({ salt: hashOf("while suspended"), maturity: BigInt(terms.maturity) + 86_400n * 10n,
        offerExpiresAt: BigInt(terms.maturity) + 86_400n });
      await registry.connect(admin).suspend(bank.address, hashOf("licence review"));
      for (const attempt of [
        liens.connect(orchard).offer(offered),
        liens.connect(bank).accept(terms, VALUATION),
        liens.connect(bank).recordRepayment(terms, 1n, REPAYMENT_REF),
        liens.connect(bank).release(terms),
        liens.connect(bank).enforce(terms, bank.address),
      ]) {
        await expect(attempt).to.be.revertedWithCustomError(registry, "MissingRole").withArgs(bank.address, Role.FINANCIER);
      }
    });

    it("a lien survives its borrower's suspension: the receipt stays pledged, the bank keeps managing the loan", async function () {
      const { liens, receipts, registry, admin, orchard, bank, terms, receiptId, key, loanId } =
        await loadFixture(activeLoanFixture);
      await registry.connect(admin).suspend(orchard.address, hashOf("fraud inquiry"));
      expect((await receipts.receiptOf(receiptId)).pledged).to.equal(true);
      expect(await liens.lienOn(key)).to.equal(loanId);
      await expect(liens.connect(bank).recordRepayment(terms, 1n, REPAYMENT_REF)).to.emit(liens, "RepaymentRecorded");
      await expect(liens.connect(bank).revalue(terms, VALUATION)).to.emit(liens, "CollateralValued");
    });
  });

  it("lets a holder pledge different goods to different banks: split first, then pledge each part", async function () {
    const { liens, receipts, orchard, bank, secondBank, termsFor, receiptId } = await loadFixture(pledgeFixture);
    const [partId] = await receipts.connect(orchard).split.staticCall(receiptId, [500n]);
    await receipts.connect(orchard).split(receiptId, [500n]);
    await liens.connect(orchard).offer(termsFor({ principal: 30_000_000n }));
    await liens.connect(bank).accept(termsFor({ principal: 30_000_000n }), 50_000_000n);
    const second = termsFor({ collateralId: partId, financier: secondBank.address, principal: 30_000_000n });
    await liens.connect(orchard).offer(second);
    await expect(liens.connect(secondBank).accept(second, 50_000_000n)).to.emit(liens, "LoanActivated");
    expect(await receipts.collateralKey(partId)).not.to.equal(await receipts.collateralKey(receiptId));
  });
});
