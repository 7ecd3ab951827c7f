// React Fast Refresh preamble as a module (dev only; empty in builds), so no inline <script> is needed under the CSP.
import '@vitejs/plugin-react/preamble';
import './app/zodConfig';
// Global styles first (tokens, then the shared base rules), so the feature CSS modules imported by the
// components come after them in the bundle and win ties of specificity.
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/runs.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { connectQueryInvalidation } from './app/queryInvalidation';
import { getConnectionState, onConnectionState, subscribe } from './ipc/client';

const queryClient = createQueryClient();
connectQueryInvalidation(queryClient, { subscribe, onConnectionState, getConnectionState });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
