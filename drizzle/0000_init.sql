CREATE TABLE "anchors" (
	"root" text PRIMARY KEY NOT NULL,
	"submitter" text NOT NULL,
	"event_count" integer NOT NULL,
	"uri" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" bigint PRIMARY KEY NOT NULL,
	"gtin" text NOT NULL,
	"producer" text NOT NULL,
	"custodian" text NOT NULL,
	"pending_recipient" text,
	"quantity" numeric(78, 0) NOT NULL,
	"initial_quantity" numeric(78, 0) NOT NULL,
	"unit" text NOT NULL,
	"origin_region" integer NOT NULL,
	"produced_at" bigint NOT NULL,
	"lot" text NOT NULL,
	"document_hash" text NOT NULL,
	"status" text NOT NULL,
	"parent_id" bigint,
	"transformation_id" bigint,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indexed_blocks" (
	"number" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"parent_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indexer_checkpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"deployment_key" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"head_block" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lineage_edges" (
	"from_batch_id" bigint NOT NULL,
	"to_batch_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"quantity" numeric(78, 0) NOT NULL,
	"transformation_id" bigint,
	"block_number" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	CONSTRAINT "lineage_edges_from_batch_id_to_batch_id_tx_hash_pk" PRIMARY KEY("from_batch_id","to_batch_id","tx_hash")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"address" text PRIMARY KEY NOT NULL,
	"roles" integer NOT NULL,
	"status" text NOT NULL,
	"credit_code_hash" text NOT NULL,
	"name" text NOT NULL,
	"metadata_uri" text NOT NULL,
	"metadata_hash" text NOT NULL,
	"admitted_at" bigint NOT NULL,
	"admitted_block" bigint NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"gtin" text PRIMARY KEY NOT NULL,
	"registrant" text NOT NULL,
	"hs_code" text NOT NULL,
	"name" text NOT NULL,
	"uri" text NOT NULL,
	"registered_at" bigint NOT NULL,
	"registered_block" bigint NOT NULL,
	"tx_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_events" (
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_time" bigint NOT NULL,
	"batch_id" bigint NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"counterparty" text,
	"quantity" numeric(78, 0),
	"document_hash" text,
	"details" jsonb NOT NULL,
	CONSTRAINT "trace_events_tx_hash_log_index_batch_id_pk" PRIMARY KEY("tx_hash","log_index","batch_id")
);
--> statement-breakpoint
CREATE TABLE "undo_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"block_number" bigint NOT NULL,
	"table_name" text NOT NULL,
	"row_key" text NOT NULL,
	"previous" jsonb
);
--> statement-breakpoint
CREATE INDEX "anchors_submitter_idx" ON "anchors" USING btree ("submitter");--> statement-breakpoint
CREATE INDEX "anchors_block_idx" ON "anchors" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "batches_gtin_idx" ON "batches" USING btree ("gtin","id");--> statement-breakpoint
CREATE INDEX "batches_producer_idx" ON "batches" USING btree ("producer","id");--> statement-breakpoint
CREATE INDEX "batches_custodian_idx" ON "batches" USING btree ("custodian","id");--> statement-breakpoint
CREATE INDEX "batches_status_idx" ON "batches" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "lineage_edges_to_idx" ON "lineage_edges" USING btree ("to_batch_id");--> statement-breakpoint
CREATE INDEX "lineage_edges_block_idx" ON "lineage_edges" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "products_registrant_idx" ON "products" USING btree ("registrant");--> statement-breakpoint
CREATE INDEX "trace_events_batch_idx" ON "trace_events" USING btree ("batch_id","block_number","log_index");--> statement-breakpoint
CREATE INDEX "trace_events_block_idx" ON "trace_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "undo_log_block_idx" ON "undo_log" USING btree ("block_number");