import { Component, type ReactNode } from 'react';

/** A screen that fails to render says so and offers a way back, instead of leaving the page blank. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="panel error-panel">
        <p>
          <strong>This screen failed to show:</strong> {this.state.error.message}
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>{' '}
        <a href="#/connectors">Back to connectors</a>
      </div>
    );
  }
}
