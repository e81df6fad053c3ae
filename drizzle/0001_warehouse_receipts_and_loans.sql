CREATE TABLE "loan_events" (
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_time" bigint NOT NULL,
	"loan_id" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"amount" numeric(78, 0),
	"details" jsonb NOT NULL,
	CONSTRAINT "loan_events_tx_hash_log_index_pk" PRIMARY KEY("tx_hash","log_index")
);
--> statement-breakpoint
CREATE TABLE "loans" (
	"id" text PRIMARY KEY NOT NULL,
	"collateral" text NOT NULL,
	"collateral_kind" text NOT NULL,
	"collateral_id" numeric(78, 0) NOT NULL,
	"collateral_key" text,
	"borrower" text NOT NULL,
	"financier" text NOT NULL,
	"principal" numeric(78, 0) NOT NULL,
	"currency" text NOT NULL,
	"maturity" bigint NOT NULL,
	"rate_bps" integer NOT NULL,
	"margin_call_ltv_bps" integer NOT NULL,
	"offer_expires_at" bigint NOT NULL,
	"salt" text NOT NULL,
	"status" text NOT NULL,
	"outstanding" numeric(78, 0) NOT NULL,
	"valuation" numeric(78, 0),
	"ltv_bps" integer,
	"margin_call" boolean NOT NULL,
	"registration_number" text,
	"enforced_to" text,
	"offered_at" bigint NOT NULL,
	"activated_at" bigint,
	"closed_at" bigint,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipt_events" (
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_time" bigint NOT NULL,
	"receipt_id" bigint NOT NULL,
	"type" text NOT NULL,
	"actor" text,
	"counterparty" text,
	"quantity" numeric(78, 0),
	"document_hash" text,
	"details" jsonb NOT NULL,
	CONSTRAINT "receipt_events_tx_hash_log_index_receipt_id_pk" PRIMARY KEY("tx_hash","log_index","receipt_id")
);
--> statement-breakpoint
CREATE TABLE "warehouse_receipts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"batch_id" bigint NOT NULL,
	"warehouse" text NOT NULL,
	"holder" text NOT NULL,
	"quantity" numeric(78, 0) NOT NULL,
	"unit" text NOT NULL,
	"location" text NOT NULL,
	"issued_at" bigint NOT NULL,
	"expires_at" bigint,
	"insured_value" numeric(78, 0),
	"insurance_currency" text,
	"policy_hash" text,
	"document_hash" text NOT NULL,
	"status" text NOT NULL,
	"pledged" boolean NOT NULL,
	"frozen" boolean NOT NULL,
	"redemption_requested" boolean NOT NULL,
	"split_from" bigint,
	"last_attested_at" bigint,
	"last_attestation_hash" text,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "loan_events_loan_idx" ON "loan_events" USING btree ("loan_id","block_number","log_index");--> statement-breakpoint
CREATE INDEX "loan_events_block_idx" ON "loan_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "loans_financier_idx" ON "loans" USING btree ("financier","status","maturity");--> statement-breakpoint
CREATE INDEX "loans_borrower_idx" ON "loans" USING btree ("borrower","id");--> statement-breakpoint
CREATE INDEX "loans_collateral_idx" ON "loans" USING btree ("collateral_kind","collateral_id");--> statement-breakpoint
CREATE INDEX "loans_collateral_key_idx" ON "loans" USING btree ("collateral_key");--> statement-breakpoint
CREATE INDEX "loans_status_maturity_idx" ON "loans" USING btree ("status","maturity");--> statement-breakpoint
CREATE INDEX "receipt_events_receipt_idx" ON "receipt_events" USING btree ("receipt_id","block_number","log_index");--> statement-breakpoint
CREATE INDEX "receipt_events_type_idx" ON "receipt_events" USING btree ("type","receipt_id");--> statement-breakpoint
CREATE INDEX "receipt_events_block_idx" ON "receipt_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "warehouse_receipts_holder_idx" ON "warehouse_receipts" USING btree ("holder","id");--> statement-breakpoint
CREATE INDEX "warehouse_receipts_warehouse_idx" ON "warehouse_receipts" USING btree ("warehouse","id");--> statement-breakpoint
CREATE INDEX "warehouse_receipts_batch_idx" ON "warehouse_receipts" USING btree ("batch_id");