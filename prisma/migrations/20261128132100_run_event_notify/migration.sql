-- Hand-written: Prisma's schema has no triggers. Every inserted RunEvent is announced on
-- channel "run_events" when its transaction commits, so SSE listeners never see an event
-- that could still roll back, and no writer can forget to notify.
CREATE OR REPLACE FUNCTION "notify_run_event"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('run_events', json_build_object('runId', NEW."runId", 'seq', NEW."seq")::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RunEvent_notify" AFTER INSERT ON "RunEvent"
  FOR EACH ROW EXECUTE FUNCTION "notify_run_event"();
