-- Argo CD health check for driftless.dev/DatabaseSchema (docs/gitops.md#argo-cd-health).
-- Argo CD runs Lua 5.1 (gopher-lua): keep to 5.1 syntax. Tested by crates/chart-tests against
-- argocd/testdata through argocd/health_test.yaml, Argo CD's own test layout.
local hs = { status = "Progressing", message = "Waiting for the operator to report status" }

-- Reasons that no retry fixes: a person must change the SQL, the policy or the spec.
local blocking_reasons = { LintBlocked = true, InvalidSchema = true, InvalidSpec = true }

local function condition(conditions, type_name)
  for _, c in ipairs(conditions) do
    if c.type == type_name then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return (c.reason or c.type) .. ": " .. c.message
  end
  return c.reason or c.type
end

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local generation = obj.metadata.generation
local conditions = obj.status.conditions

-- A status written for an older spec says nothing about the current one.
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local stalled = condition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "False" and blocking_reasons[ready.reason] then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

local reconciling = condition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.message = describe(reconciling)
  return hs
end

if ready ~= nil and ready.status == "True" then
  if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
    hs.message = "Waiting for the operator to observe generation " .. generation
    return hs
  end
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

local awaiting_approval = (ready ~= nil and ready.reason == "AwaitingApproval")
  or (obj.status.plan ~= nil and obj.status.plan.state == "AwaitingApproval")
if awaiting_approval then
  local hash = ""
  if obj.status.plan ~= nil and obj.status.plan.hash ~= nil then
    hash = " " .. obj.status.plan.hash
  end
  hs.message = "Awaiting approval: annotate with driftless.dev/approve-plan:" .. hash
  return hs
end

if ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

return hs
