-- Drives `lacuna lsp` from Neovim's own LSP client, headless, and prints
-- what the editor shows: diagnostics, then after an edit, a hover, a
-- definition and a completion. Cursor columns are bytes, as Neovim counts
-- them; the client converts them to the protocol's UTF-16 itself.
--
-- Environment: LACUNA_BIN (the binary), LACUNA_FILE (the proposal to open).

local out = {}
local function say(line)
  table.insert(out, line)
end
local function finish(code)
  io.stdout:write(table.concat(out, '\n') .. '\n')
  vim.cmd(code == 0 and 'qa!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('LACUNA_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'lacuna',
    cmd = { os.getenv('LACUNA_BIN'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('LACUNA_FILE'), ':h'),
  })
  assert(client, 'the server did not start')
  vim.lsp.buf_attach_client(buf, client)

  local function code_of(d)
    return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  end
  local function diagnostics()
    local found = vim.diagnostic.get(buf)
    table.sort(found, function(a, b)
      if a.lnum ~= b.lnum then return a.lnum < b.lnum end
      if a.col ~= b.col then return a.col < b.col end
      return tostring(code_of(a)) < tostring(code_of(b))
    end)
    local lines = {}
    for _, d in ipairs(found) do
      table.insert(lines, string.format('  %d:%d-%d:%d %s', d.lnum + 1, d.col, d.end_lnum + 1, d.end_col, code_of(d)))
    end
    return lines
  end
  assert(vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20), 'no diagnostics')
  say('diagnostics (line:byte):')
  for _, l in ipairs(diagnostics()) do say(l) end

  -- An edit: the mandate's function becomes monitoring, which leaves the
  -- survival migrants without protection on the ground.
  local before = table.concat(diagnostics(), '\n')
  local row = vim.fn.search('^function = ') - 1
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { 'function = "monitoring"' })
  assert(vim.wait(30000, function() return table.concat(diagnostics(), '\n') ~= before end, 20), 'no new diagnostics')
  say('after the edit:')
  for _, l in ipairs(diagnostics()) do say(l) end

  local function request(method, line, byte_col)
    vim.api.nvim_win_set_cursor(0, { line, byte_col })
    local params = vim.lsp.util.make_position_params()
    if method == 'textDocument/completion' then
      params.context = { triggerKind = 1 }
    end
    local answers = vim.lsp.buf_request_sync(buf, method, params, 30000)
    assert(answers and answers[client] and answers[client].result ~= nil, method .. ' got no answer')
    return answers[client].result, params.position
  end

  -- Hover on `area`, in the table after the header with wide characters.
  local area = vim.fn.search('^area') 
  local hover = request('textDocument/hover', area, 1)
  say('hover: ' .. vim.split(hover.contents.value, '\n')[1])

  -- Definition from inside the reference, after the globe and the CJK.
  local ref = vim.fn.search('^group = ')
  local line = vim.api.nvim_buf_get_lines(buf, ref - 1, ref, false)[1]
  local byte = string.find(line, '\204\129', 1, true) - 1
  local definition, sent = request('textDocument/definition', ref, byte)
  local target = definition.range or definition[1].range
  say(string.format('definition: sent %d:%d (utf-16), target line %d, characters %d-%d',
    sent.line + 1, sent.character, target.start.line + 1, target.start.character, target['end'].character))

  -- Completion of the keys of `actor`, on a new empty line below its kind.
  local kind = vim.fn.search('^kind = ')
  vim.api.nvim_buf_set_lines(buf, kind, kind, false, { '' })
  local completion = request('textDocument/completion', kind + 1, 0)
  local items = completion.items or completion
  local labels = {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
  say('completion: ' .. table.concat(labels, ' '))

  -- A code action on a misspelt key: its fix, then the whole file's.
  local typo_row = vim.fn.search('^kind = ')
  vim.api.nvim_buf_set_lines(buf, typo_row, typo_row, false, { 'un_sytem = true' })
  assert(vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum == typo_row then return true end
    end
    return false
  end, 20), 'no diagnostic on the misspelt key')
  vim.api.nvim_win_set_cursor(0, { typo_row + 1, 0 })
  local range_params = vim.lsp.util.make_range_params()
  range_params.context = { diagnostics = {} }
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', range_params, 30000)
  assert(answers and answers[client] and answers[client].result, 'no code actions')
  for _, action in ipairs(answers[client].result) do
    say(string.format('code action: %s (%s%s)', action.title, action.kind,
      action.isPreferred and ', preferred' or ''))
  end

  vim.lsp.stop_client(client)
end)
if not ok then
  say('error: ' .. tostring(err))
  finish(1)
else
  finish(0)
end
