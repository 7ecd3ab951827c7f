// React Fast Refresh preamble as a module (dev only; empty in builds), so no inline <script> is needed under the CSP.
import '@vitejs/plugin-react/preamble';
import './app/zodConfig';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { connectQueryInvalidation } from './app/queryInvalidation';
import { getConnectionState, onConnectionState, subscribe } from './ipc/client';
import './styles/app.css';

const queryClient = createQueryClient();
connectQueryInvalidation(queryClient, { subscribe, onConnectionState, getConnectionState });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
