import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './ops.css';
import { forgetFunctionKey, hasFunctionKey, takeKeyFromAddress, unauthorized } from './api';
import { KeyPrompt } from './components/KeyPrompt';
import { FailuresPage } from './pages/FailuresPage';
import { OrderPage } from './pages/OrderPage';
import { OrdersPage } from './pages/OrdersPage';
import { ReplayPage } from './pages/ReplayPage';
import { StatsPage } from './pages/StatsPage';
import { StockPage } from './pages/StockPage';
import { linkTo, useRoute, type Route } from './route';

takeKeyFromAddress();

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'order':
      return <OrderPage key={route.id} orderId={route.id ?? ''} />;
    case 'failures':
      return <FailuresPage route={route} />;
    case 'replay':
      return <ReplayPage key={route.id} jobId={route.id ?? ''} />;
    case 'stats':
      return <StatsPage route={route} />;
    case 'stock':
      return <StockPage route={route} />;
    default:
      return <OrdersPage route={route} />;
  }
}

function App() {
  const route = useRoute();
  const [needKey, setNeedKey] = useState(false);
  // Shown again after a key is given, so that what failed for want of it loads.
  const [round, setRound] = useState(0);
  useEffect(() => {
    const ask = (): void => setNeedKey(true);
    unauthorized.addEventListener('unauthorized', ask);
    return () => unauthorized.removeEventListener('unauthorized', ask);
  }, []);
  const at = (...pages: Route['page'][]): string => (pages.includes(route.page) ? 'active' : '');
  return (
    <>
      <header class="top">
        <h1>Order Hub</h1>
        <nav>
          <a class={at('orders', 'order')} href={linkTo('orders')}>
            Orders
          </a>
          <a class={at('failures', 'replay')} href={linkTo('failures')}>
            Failures
          </a>
          <a class={at('stats')} href={linkTo('stats')}>
            Stats
          </a>
          <a class={at('stock')} href={linkTo('stock')}>
            Stock
          </a>
        </nav>
        {hasFunctionKey() && !needKey && (
          <button
            class="quiet"
            onClick={() => {
              forgetFunctionKey();
              setNeedKey(true);
            }}
          >
            Forget key
          </button>
        )}
      </header>
      <main>
        {needKey ? (
          <KeyPrompt
            onKey={() => {
              setNeedKey(false);
              setRound((r) => r + 1);
            }}
          />
        ) : (
          <Page key={round} route={route} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
