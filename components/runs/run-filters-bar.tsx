"use client";
// Status, repository and title search for the runs list. Writes the URL; the list reads it.
import { useEffect, useRef, useState } from "react";
import { formatStatus } from "./run-status-badge";
import { hasRunFilters, isValidRepoFilter, RUN_STATUS_OPTIONS, type RunFilters } from "../../lib/client/run-filters";
import type { RunStatus } from "../../lib/client/run-types";
import { Button } from "../ui/button";
import { FieldError, Input, Label } from "../ui/input";

const TYPING_DEBOUNCE_MS = 300;

export function RunFiltersBar({ filters, onChange }: { filters: RunFilters; onChange: (filters: RunFilters) => void }) {
  const [q, setQ] = useState(filters.q);
  const [repo, setRepo] = useState(filters.repo);
  const isRepoValid = isValidRepoFilter(repo);
  // What this bar last wrote to the URL: any other change (clear, back button) resets the fields.
  const sent = useRef({ q: filters.q, repo: filters.repo });
  useEffect(() => {
    if (filters.q !== sent.current.q) setQ(filters.q);
    if (filters.repo !== sent.current.repo) setRepo(filters.repo);
    sent.current = { q: filters.q, repo: filters.repo };
  }, [filters.q, filters.repo]);

  // Typing settles before it filters; the URL (and so the query) changes once per pause.
  useEffect(() => {
    if (q === filters.q && (repo === filters.repo || !isRepoValid)) return;
    const timer = setTimeout(() => {
      const next = { ...filters, q, repo: isRepoValid ? repo : filters.repo };
      sent.current = { q: next.q.trim(), repo: next.repo.trim() };
      onChange(next);
    }, TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q, repo, isRepoValid, filters, onChange]);

  return (
    <form role="search" aria-label="Filter runs" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm sm:grid-cols-[1fr_12rem_14rem_auto] sm:items-end" onSubmit={(event) => event.preventDefault()}>
      <div>
        <Label htmlFor="runs-search">Search titles</Label>
        <Input id="runs-search" data-testid="runs-search" type="search" value={q} maxLength={200} placeholder="e.g. health endpoint" onChange={(event) => setQ(event.target.value)} className="mt-1" />
      </div>
      <div>
        <Label htmlFor="runs-status">Status</Label>
        <select
          id="runs-status"
          data-testid="runs-status-filter"
          value={filters.status ?? ""}
          onChange={(event) => onChange({ ...filters, q, status: (event.target.value || null) as RunStatus | null })}
          className="mt-1 block h-[38px] w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm"
        >
          <option value="">Any status</option>
          {RUN_STATUS_OPTIONS.map((status) => (
            <option key={status} value={status}>
              {formatStatus(status)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <Label htmlFor="runs-repo">Repository</Label>
        <Input
          id="runs-repo"
          data-testid="runs-repo-filter"
          value={repo}
          maxLength={201}
          placeholder="owner/name"
          isInvalid={!isRepoValid}
          aria-describedby={!isRepoValid ? "runs-repo-error" : undefined}
          onChange={(event) => setRepo(event.target.value)}
          className="mt-1"
        />
        <FieldError id="runs-repo-error" message={isRepoValid ? undefined : "Use owner/name"} />
      </div>
      <Button
        variant="ghost"
        data-testid="runs-clear-filters"
        disabled={!hasRunFilters(filters) && !q && !repo}
        onClick={() => {
          setQ("");
          setRepo("");
          sent.current = { q: "", repo: "" };
          onChange({ status: null, repo: "", q: "" });
        }}
      >
        Clear
      </Button>
    </form>
  );
}
