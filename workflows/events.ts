// Moved to lib/events.ts; kept until every workflow imports it from there.
export * from "@/lib/events";
