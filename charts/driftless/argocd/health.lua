-- Argo CD health check for driftless.dev/DatabaseSchema; the mapping is documented in docs/gitops.md.
-- Argo CD runs Lua 5.1 (gopher-lua): keep to 5.1. Tested by crates/chart-tests (tests/argocd_health.rs) with the
-- samples in argocd/testdata, listed with their expected health in argocd/health_test.yaml (Argo CD's layout).
local hs = { status = "Progressing", message = "Waiting for the operator to report status" }

-- Ready=False reasons that no retry fixes: a person must change the SQL, the policy, the spec or a reference.
-- The operator also sets Stalled=True for these; the list covers a status written without it.
local needs_a_person = { LintBlocked = true, InvalidSchema = true, InvalidSpec = true, ReferenceNotFound = true }
-- Ready=False reasons that wait for a person by design: not a failure.
local waits_for_a_person = { AwaitingApproval = true, PlanPending = true }

local function find(conditions, condition_type)
  for _, c in ipairs(conditions) do
    if c.type == condition_type then
      return c
    end
  end
  return nil
end

local function is_true(c)
  return c ~= nil and c.status == "True"
end

local function is_false(c)
  return c ~= nil and c.status == "False"
end

local function describe(c)
  local reason = c.reason or c.type
  if c.message ~= nil and c.message ~= "" then
    return reason .. ": " .. c.message
  end
  return reason
end

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
local function stale(observed)
  return generation ~= nil and observed ~= nil and observed < generation
end

local conditions = obj.status.conditions
local ready = find(conditions, "Ready")
local stalled = find(conditions, "Stalled")
local reconciling = find(conditions, "Reconciling")

if stale(obj.status.observedGeneration) or (ready ~= nil and stale(ready.observedGeneration)) then
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

if is_true(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

if is_false(ready) and needs_a_person[ready.reason] then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

if is_true(reconciling) then
  -- Retrying with backoff; Ready carries the cause (DatabaseUnreachable, ApplyFailed, DatabaseError).
  if is_false(ready) then
    hs.message = describe(ready)
  else
    hs.message = describe(reconciling)
  end
  return hs
end

if is_true(ready) then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

if is_false(ready) and waits_for_a_person[ready.reason] then
  hs.message = describe(ready)
  return hs
end

if is_false(ready) then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

return hs
