"""Community detection: Leiden or Louvain on the community graph, clustering on interests."""

from microcomm.communities.clustering import InterestClusterer, interest_matrix
from microcomm.communities.detect import detect_communities
from microcomm.communities.engine import Partition, size_resolution
from microcomm.communities.leiden import detect_leiden
from microcomm.communities.louvain import detect_louvain
from microcomm.communities.quality import membership_strength, nmi, relabel_by_size

__all__ = [
    "InterestClusterer",
    "Partition",
    "detect_communities",
    "detect_leiden",
    "detect_louvain",
    "interest_matrix",
    "membership_strength",
    "nmi",
    "relabel_by_size",
    "size_resolution",
]
