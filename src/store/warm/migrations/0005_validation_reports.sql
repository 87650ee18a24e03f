-- Validation reports: what `playforge validate` measured for an evolution (holdout, walk-forward, deflated
-- Sharpe ratio, PBO, Monte Carlo ranges) and the promotion gate's verdict with its reasons. A vetted play
-- names the passed report it was promoted on (vetted_plays.stats.validationReportId).

create table validation_reports (
  id uuid primary key default gen_random_uuid(),
  evolution_id uuid not null references evolutions (id) on delete cascade,
  -- The judged winner (the evolution's pick).
  individual_id bigint references individuals (id) on delete set null,
  passed boolean not null,
  -- The gate thresholds in force, so a verdict can be read against the rules it was made under.
  thresholds jsonb not null,
  -- The whole report (numbers that JSON cannot hold, like an infinite profit factor, as strings).
  report jsonb not null,
  created_at timestamptz not null default now()
);
create index validation_reports_evolution_idx on validation_reports (evolution_id, created_at desc);
