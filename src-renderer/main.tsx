// React Fast Refresh preamble as a module (dev only; empty in builds), so no inline <script> is needed under the CSP.
import '@vitejs/plugin-react/preamble';
import './app/zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './styles/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
