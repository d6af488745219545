"use client";
// Status, repository and title search for the runs list. Writes the URL; the list reads it.
import { useEffect, useRef, useState } from "react";
import { hasRunFilters, isValidRepoFilter, RUN_STATUS_OPTIONS, type RunFilters } from "@/lib/client/runs";
import type { RunStatus } from "@/lib/client/runs";
import { Button } from "@/components/ui/button";
import { Field, Select, TextField } from "@/components/ui/input";
import { formatStatus } from "./run-status";

const TYPING_DEBOUNCE_MS = 300;

export function RunFiltersBar({ filters, onChange }: { filters: RunFilters; onChange: (filters: RunFilters) => void }) {
  const [q, setQ] = useState(filters.q);
  const [repo, setRepo] = useState(filters.repo);
  const isRepoValid = isValidRepoFilter(repo);
  const repoError = isRepoValid ? undefined : "Use owner/name";
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
      <TextField id="runs-search" label="Search titles" data-testid="runs-search" type="search" value={q} maxLength={200} placeholder="e.g. health endpoint" onChange={(event) => setQ(event.target.value)} />
      <Field id="runs-status" label="Status">
        <Select
          id="runs-status"
          data-testid="runs-status-filter"
          value={filters.status ?? ""}
          onChange={(event) => onChange({ ...filters, q, status: (event.target.value || null) as RunStatus | null })}
          className="mt-1 w-full"
        >
          <option value="">Any status</option>
          {RUN_STATUS_OPTIONS.map((status) => (
            <option key={status} value={status}>
              {formatStatus(status)}
            </option>
          ))}
        </Select>
      </Field>
      <TextField
        id="runs-repo"
        label="Repository"
        error={repoError}
        data-testid="runs-repo-filter"
        value={repo}
        maxLength={201}
        placeholder="owner/name"
        onChange={(event) => setRepo(event.target.value)}
      />
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
