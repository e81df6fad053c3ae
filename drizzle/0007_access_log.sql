CREATE TABLE "access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"caller" text,
	"via" text,
	"api_key_id" text,
	"operation" text NOT NULL,
	"resource" text NOT NULL,
	"status" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "access_log_at_idx" ON "access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_log_caller_idx" ON "access_log" USING btree ("caller","id");--> statement-breakpoint
CREATE INDEX "access_log_operation_idx" ON "access_log" USING btree ("operation","id");