package dev.ferry.delivery;

/** A transient fault that is not retried because the run's retry budget ({@code ferry.retry.budget}) is spent. */
public class RetryBudgetSpent extends TransientFault {

    public RetryBudgetSpent(TransientFault last) {
        super(last.result(), last.status(), null, "retry budget spent; last error: " + last.getMessage(), last);
    }
}
