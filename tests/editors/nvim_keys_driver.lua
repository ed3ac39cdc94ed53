-- Driven by test_neovim.py: nvim --headless --clean -c 'luafile nvim_keys_driver.lua', with
-- DESIGN_LSP_NVIM_DIR (editors/nvim), DESIGN_LSP_DOC, DESIGN_LSP_OUT and DESIGN_LSP_SCENARIO
-- ("completion" or "config") in the environment. Unlike nvim_driver.lua (`-l`, which never runs
-- the main loop), this one types keys: its steps run in a coroutine that sleeps on timers, so
-- Neovim's own main loop handles the keys, the completion menu and CompleteDone as for a user.
-- Loads the shipped editors/nvim/lsp/design_lsp.lua untouched. Any failure is recorded as "error".
local result = {}
local co

local function write()
  local f = assert(io.open(os.getenv('DESIGN_LSP_OUT'), 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function sleep(ms)
  vim.defer_fn(function() assert(coroutine.resume(co)) end, ms)
  coroutine.yield()
end

local function wait(ms, cond, what)
  local deadline = vim.uv.now() + ms
  while not cond() do
    if vim.uv.now() > deadline then
      error('timed out waiting for ' .. what)
    end
    sleep(20)
  end
end

local function keys(typed)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(typed, true, false, true), 'n', false)
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { code = d.code, lnum = d.lnum, message = d.message })
  end
  return list
end

local function has(bufnr, pred)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if pred(d) then return true end
  end
  return false
end

local function attach()
  vim.opt.runtimepath:prepend(os.getenv('DESIGN_LSP_NVIM_DIR'))
  vim.cmd('filetype on')
  vim.lsp.enable('design_lsp')
  vim.cmd.edit(vim.fn.fnameescape(os.getenv('DESIGN_LSP_DOC')))
  local bufnr = vim.api.nvim_get_current_buf()
  wait(15000, function()
    local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'design_lsp' })[1]
    return client ~= nil and client.initialized
  end, 'the design_lsp client to initialize')
  return bufnr
end

-- In Insert mode: the menu that typing opened (autotrigger), else <C-x><C-o>; then accept the
-- item whose label is `label` (or the first) with <C-y>, as a user would. Returns the labels
-- the menu offered.
local function complete_and_accept(label)
  sleep(500) -- (a menu the typed characters trigger comes in meanwhile)
  if vim.fn.pumvisible() == 0 then
    keys('<C-x><C-o>')
  end
  wait(10000, function() return vim.fn.pumvisible() == 1 end, 'the completion menu')
  sleep(200) -- no answer to an earlier request replaces the menu while it is picked from
  local items = vim.fn.complete_info({ 'items' }).items
  local labels, index = {}, 1
  for i, item in ipairs(items) do
    table.insert(labels, item.abbr)
    if item.abbr == label then index = i end
  end
  -- 'completeopt' has noinsert (the shipped config): the first item is selected, nothing typed.
  keys(string.rep('<C-n>', index - 1) .. '<C-y>')
  return labels
end

local function completion_scenario()
  local bufnr = attach()
  -- 1. The whole template into the empty file.
  result.completeopt = vim.bo[bufnr].completeopt
  keys('i')
  result.template_menu = complete_and_accept(nil)
  wait(10000, function() return vim.api.nvim_buf_line_count(bufnr) > 20 end, 'the template')
  result.template_text = buffer_text(bufnr)
  result.template_mode = vim.api.nvim_get_mode().mode -- a tab stop is selected: Select mode
  keys('<Esc>')
  sleep(50)
  vim.snippet.stop()

  -- 2. A section: cut Non-Goals out, then complete it back on a new "### " line after Goals.
  local function next_heading(after) -- the first heading line below line `after` (1-based)
    for line = after + 1, vim.api.nvim_buf_line_count(bufnr) do
      if vim.api.nvim_buf_get_lines(bufnr, line - 1, line, false)[1]:match('^#') then
        return line
      end
    end
  end
  local non_goals = vim.fn.search('^### Non-Goals$', 'nw')
  vim.api.nvim_buf_set_lines(bufnr, non_goals - 1, next_heading(non_goals) - 1, false, {})
  local goals = vim.fn.search('^### Goals$', 'nw')
  vim.api.nvim_win_set_cursor(0, { next_heading(goals) - 1, 0 }) -- the blank line before it
  keys('o### ')
  result.section_menu = complete_and_accept('Non-Goals')
  wait(10000, function() return vim.fn.search('^### Non-Goals$', 'nw') > 0 end, 'the section')
  sleep(100)
  result.section_mode = vim.api.nvim_get_mode().mode
  result.section_text = buffer_text(bufnr)
  keys('<Esc>')
  sleep(50)
end

local function config_scenario()
  local bufnr = attach()
  local config = vim.fs.joinpath(vim.fs.dirname(os.getenv('DESIGN_LSP_DOC')), '.design-lsp.toml')
  local function rewrite(text)
    local f = assert(io.open(config, 'w'))
    f:write(text)
    f:close()
    sleep(1100) -- the server looks at the config files at most once a second
  end
  local function edit_and_save()
    vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { '', 'More text.' })
    vim.cmd('silent write')
  end
  local function non_goals(d) return d.message:find('Non%-Goals', 1, false) ~= nil end
  local function config_error(d) return d.code == 'config-error' end

  wait(15000, function() return has(bufnr, non_goals) end, 'Non-Goals reported missing')
  result.before = diagnostics(bufnr)

  -- 1. Non-Goals made optional on disk: no more missing Non-Goals after an edit and a save.
  rewrite('[sections."Non-Goals"]\noptional = true\n')
  edit_and_save()
  wait(15000, function() return not has(bufnr, non_goals) end, 'the optional Non-Goals')
  result.optional = diagnostics(bufnr)

  -- 2. A broken config: a lasting diagnostic on the first line names the file and key.
  rewrite('[sections."Non-Goals"]\noptional = "maybe"\n')
  edit_and_save()
  wait(15000, function() return has(bufnr, config_error) end, 'the config error')
  result.broken = diagnostics(bufnr)

  -- 3. Fixed: the diagnostic goes.
  rewrite('')
  edit_and_save()
  wait(15000, function() return not has(bufnr, config_error) end, 'the config error to go')
  wait(15000, function() return has(bufnr, non_goals) end, 'Non-Goals missing again')
  result.fixed = diagnostics(bufnr)
end

co = coroutine.create(function()
  local scenarios = { completion = completion_scenario, config = config_scenario }
  local ok, err = xpcall(scenarios[os.getenv('DESIGN_LSP_SCENARIO')], debug.traceback)
  if not ok then
    result.error = tostring(err) .. '\nmode ' .. vim.api.nvim_get_mode().mode .. ', buffer:\n'
      .. buffer_text(0)
  end
  pcall(function()
    for _, client in ipairs(vim.lsp.get_clients()) do client:stop() end
  end)
  write()
  vim.cmd('qall!')
end)
vim.schedule(function() assert(coroutine.resume(co)) end)
