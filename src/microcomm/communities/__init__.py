"""Community detection: Louvain on the co-engagement graph, clustering on interests."""

from microcomm.communities.clustering import InterestClusterer, interest_matrix
from microcomm.communities.louvain import Partition, detect_louvain
from microcomm.communities.quality import membership_strength, nmi, relabel_by_size

__all__ = [
    "InterestClusterer",
    "Partition",
    "detect_louvain",
    "interest_matrix",
    "membership_strength",
    "nmi",
    "relabel_by_size",
]
