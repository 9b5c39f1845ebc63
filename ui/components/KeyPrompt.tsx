import { useState } from 'preact/hooks';
import { setFunctionKey } from '../api';

/** Asks for a function key once per tab: it is kept in this tab's session storage, sent as a header, never shown. */
export function KeyPrompt({ onKey }: { onKey: () => void }) {
  const [key, setKey] = useState('');
  return (
    <form
      class="key-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim() === '') return;
        setFunctionKey(key);
        onKey();
      }}
    >
      <h2>Sign in to the ops API</h2>
      <p>
        Give a function key of the hub (<code>az functionapp keys list</code>, or the local stack's start output). It stays in this tab
        only. Behind Entra ID no key is needed.
      </p>
      <label>
        Function key{' '}
        <input type="password" name="functionKey" autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
      </label>
      <button type="submit">Use this key</button>
    </form>
  );
}
