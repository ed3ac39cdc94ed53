-- Driven by test_neovim.py: nvim --headless --clean -l nvim_driver.lua EDITORS_NVIM DOC OUT
-- Loads the shipped editors/nvim/lsp/design_lsp.lua through 'runtimepath', opens DOC and records
-- what Neovim itself shows into OUT (JSON). Any failure is recorded as "error".
local editors_nvim, doc, out = arg[1], arg[2], arg[3]
local result = { timings = {} }
local t0 = vim.uv.hrtime()

local function mark(name)
  result.timings[name] = (vim.uv.hrtime() - t0) / 1e6
end

local function write()
  local f = assert(io.open(out, 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function wait(ms, cond, what)
  if not vim.wait(ms, cond, 20) then
    error('timed out waiting for ' .. what)
  end
end

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, {
      code = d.code, lnum = d.lnum, source = d.source, message = d.message,
      severity = vim.diagnostic.severity[d.severity],
    })
  end
  return list
end

local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(editors_nvim)
  vim.cmd('filetype on')
  -- A user setting on top of the shipped config: it reaches the server through
  -- workspace/configuration and turns invalid-field into a warning.
  vim.lsp.config('design_lsp', {
    settings = { designLsp = { rules = { ['invalid-field'] = { severity = 'warning' } } } },
  })
  vim.lsp.enable('design_lsp')
  vim.cmd.edit(vim.fn.fnameescape(doc))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  wait(15000, function() return #vim.lsp.get_clients({ bufnr = bufnr, name = 'design_lsp' }) > 0 end,
    'the design_lsp client to attach')
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'design_lsp' })[1]
  wait(15000, function() return client.initialized end, 'initialize')
  result.root_dir = client.root_dir
  mark('attached')

  -- 1. Diagnostics, as vim.diagnostic holds them for the buffer.
  wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 'diagnostics')
  result.diagnostics = diagnostics(bufnr)
  mark('diagnostics')

  -- 2. Outline, through the editor's own :lua vim.lsp.buf.document_symbol() (on_list hook).
  local outline
  vim.lsp.buf.document_symbol({ on_list = function(t) outline = t.items end })
  wait(10000, function() return outline ~= nil end, 'document symbols')
  result.outline = {}
  for _, item in ipairs(outline) do
    table.insert(result.outline, { text = item.text, lnum = item.lnum, kind = item.kind })
  end
  mark('outline')

  -- 3. Completion on a new "### " heading line under Goals, through the attached client.
  local goals = vim.fn.search('^- Recover transient', 'nw')
  vim.api.nvim_buf_set_lines(bufnr, goals, goals, false, { '', '### ' })
  vim.api.nvim_win_set_cursor(0, { goals + 2, 4 })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 10000)
  local labels = {}
  for _, response in pairs(responses or {}) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do
      table.insert(labels, item.label)
    end
  end
  result.completion = labels
  -- Undo the completion probe, and wait until the server has the original text again.
  vim.api.nvim_buf_set_lines(bufnr, goals, goals + 2, false, {})
  mark('completion')

  -- 4. Code action: cursor on "### Goals", the editor's own vim.lsp.buf.code_action() path,
  -- filtered to the Non-Goals quick fix and applied.
  local goals_heading = vim.fn.search('^### Goals$', 'nw')
  vim.api.nvim_win_set_cursor(0, { goals_heading, 0 })
  local wanted = arg[4]
  local seen = {}
  vim.lsp.buf.code_action({
    filter = function(action)
      table.insert(seen, action.title)
      return action.title == wanted
    end,
    apply = true,
  })
  wait(10000, function()
    return vim.fn.search('^### Non-Goals$', 'nw') > 0
  end, 'the code action to edit the buffer')
  result.code_actions_seen = seen
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
  -- The fixed buffer no longer reports Non-Goals missing.
  wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.message:find('Non%-Goals') then return false end
    end
    return true
  end, 'diagnostics after the fix')
  result.diagnostics_after = diagnostics(bufnr)
  mark('code_action')

  client:stop()
  wait(5000, function() return client:is_stopped() end, 'the server to stop')
end, debug.traceback)

if not ok then
  result.error = tostring(err)
end
write()
vim.cmd('qall!')
