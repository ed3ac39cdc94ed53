-- design-lsp for Neovim 0.11+ (vim.lsp.config).
--
-- Install: `pipx install .` in a clone of design-lsp (it is not on PyPI), so that `design-lsp`
-- is on PATH; copy this file to
-- ~/.config/nvim/lsp/design_lsp.lua, and add to init.lua:
--
--   vim.lsp.enable('design_lsp')
--
-- Override any field from init.lua, e.g. a team template or a rule severity:
--
--   vim.lsp.config('design_lsp', {
--     settings = { designLsp = { template = 'docs/templates/design.md',
--                                rules = { ['template-text'] = { severity = 'information' } } } },
--   })
--
-- Completion: on_attach below turns on Neovim's built-in LSP completion for this server, which
-- expands its snippets (the whole template in an empty file, a section with its guidance).
-- Plain 'omnifunc' would insert only the item's label. It pops up as you type `#` or a field
-- value, and on <C-x><C-o>; accept an item with <C-y>. To keep your own completion plugin
-- instead, replace on_attach:
--
--   vim.lsp.config('design_lsp', { on_attach = function() end })
---@type vim.lsp.Config
return {
  cmd = { 'design-lsp' },
  filetypes = { 'markdown' },
  root_markers = { '.design-lsp.toml', 'pyproject.toml', '.git' },
  -- Answered to the server's workspace/configuration requests (section "designLsp"); the same keys
  -- as .design-lsp.toml: template, include, rules.<code>.severity, placeholders.
  settings = { designLsp = vim.empty_dict() },
  on_attach = function(client, bufnr)
    vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = true })
    -- Show the menu for a single item too (an empty file offers one: the template) and
    -- insert nothing until an item is accepted, so that a dismissed menu leaves no label.
    local opts = vim.split(vim.go.completeopt, ',', { trimempty = true })
    for _, opt in ipairs({ 'menuone', 'noinsert' }) do
      if not vim.tbl_contains(opts, opt) then
        table.insert(opts, opt)
      end
    end
    vim.bo[bufnr].completeopt = table.concat(opts, ',')
  end,
}
