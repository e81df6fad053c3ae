CREATE TABLE "receivable_events" (
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_time" bigint NOT NULL,
	"receivable_id" bigint NOT NULL,
	"type" text NOT NULL,
	"actor" text,
	"counterparty" text,
	"amount" numeric(78, 0),
	"details" jsonb NOT NULL,
	CONSTRAINT "receivable_events_tx_hash_log_index_receivable_id_pk" PRIMARY KEY("tx_hash","log_index","receivable_id")
);
--> statement-breakpoint
CREATE TABLE "receivable_holdings" (
	"key" text PRIMARY KEY NOT NULL,
	"receivable_id" bigint NOT NULL,
	"holder" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"earmarked" numeric(78, 0) NOT NULL,
	"settled" numeric(78, 0) NOT NULL,
	"closed" boolean NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivable_lots" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receivable_id" bigint NOT NULL,
	"holder" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"pledged" boolean NOT NULL,
	"status" text NOT NULL,
	"created_block" bigint NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivable_sales" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receivable_id" bigint NOT NULL,
	"seller" text NOT NULL,
	"financier" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"price" numeric(78, 0) NOT NULL,
	"status" text NOT NULL,
	"created_block" bigint NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivables" (
	"id" bigint PRIMARY KEY NOT NULL,
	"creditor" text NOT NULL,
	"debtor" text NOT NULL,
	"face_value" numeric(78, 0) NOT NULL,
	"currency" text NOT NULL,
	"due_date" bigint NOT NULL,
	"grace_seconds" integer NOT NULL,
	"invoice_hash" text NOT NULL,
	"document_hash" text NOT NULL,
	"status" text NOT NULL,
	"paid" numeric(78, 0) NOT NULL,
	"disputed" boolean NOT NULL,
	"frozen" boolean NOT NULL,
	"payment_agent" text,
	"registered_at" bigint NOT NULL,
	"confirmed_at" bigint,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "receivable_events_receivable_idx" ON "receivable_events" USING btree ("receivable_id","block_number","log_index");--> statement-breakpoint
CREATE INDEX "receivable_events_block_idx" ON "receivable_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "receivable_holdings_holder_idx" ON "receivable_holdings" USING btree ("holder","receivable_id");--> statement-breakpoint
CREATE INDEX "receivable_holdings_receivable_idx" ON "receivable_holdings" USING btree ("receivable_id");--> statement-breakpoint
CREATE INDEX "receivable_lots_receivable_idx" ON "receivable_lots" USING btree ("receivable_id","holder");--> statement-breakpoint
CREATE INDEX "receivable_sales_receivable_idx" ON "receivable_sales" USING btree ("receivable_id");--> statement-breakpoint
CREATE INDEX "receivable_sales_financier_idx" ON "receivable_sales" USING btree ("financier");--> statement-breakpoint
CREATE INDEX "receivables_creditor_idx" ON "receivables" USING btree ("creditor","id");--> statement-breakpoint
CREATE INDEX "receivables_debtor_idx" ON "receivables" USING btree ("debtor","id");--> statement-breakpoint
CREATE INDEX "receivables_status_due_idx" ON "receivables" USING btree ("status","due_date");