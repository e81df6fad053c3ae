CREATE TABLE "document_uploads" (
	"sha256" text NOT NULL,
	"uploader" text NOT NULL,
	"filename" text,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_uploads_sha256_uploader_pk" PRIMARY KEY("sha256","uploader")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"stored_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"caller" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_keys_caller_key_pk" PRIMARY KEY("caller","key")
);
--> statement-breakpoint
CREATE INDEX "document_uploads_uploader_idx" ON "document_uploads" USING btree ("uploader","uploaded_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");