from django.dispatch import Signal

# Sent by each worker cluster's sentinel when it starts and every MEDIAHUB_RECONCILE_INTERVAL seconds
# (sooner after a worker died), so that apps can requeue work their own tables say is not done:
#   queue     the queue (django-q cluster name) this cluster serves
#   starting  True on the first tick of this cluster
#   started   when this cluster started (an aware datetime)
#   handed_out  tasks this cluster took from the broker that no worker has started yet
# Receivers run in the sentinel process; they must be quick and must not fork.
cluster_tick = Signal()
