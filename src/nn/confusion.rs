//! The confusion matrix: how many points of each class the network puts in each class.

use super::data::{class_of, Dataset};
use super::network::Network;

/// `counts[t][p]`: the points of class t (their target) the network puts in
/// class p (its largest output, or its one output from ½ on), for K classes.
pub fn confusion(net: &Network, data: &Dataset) -> Vec<Vec<usize>> {
    let outputs = net.arch.sizes[net.arch.layers()];
    let k = outputs.max(2);
    let mut counts = vec![vec![0; k]; k];
    if data.is_empty() {
        return counts;
    }
    let out = net.predict(&data.x);
    for r in 0..data.len() {
        let (t, p) = (class_of(data.y.row(r)), class_of(out.row(r)));
        counts[t][p] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::matrix::Mat;
    use crate::nn::network::{Architecture, Loss};

    /// A softmax network that reads x₁ as the class: every point lands on the diagonal but the one it cannot tell.
    #[test]
    fn each_point_is_counted_under_its_class_and_the_network_s_guess() {
        let arch = Architecture { sizes: vec![1, 3], activations: vec![Activation::Softmax], loss: Loss::Ce };
        // z = (0, x − ½, 2x − 2): class c wins where x is near c.
        let net = Network::from_weights(arch, &[vec![vec![0.0, 1.0, 2.0]]], &[vec![0.0, -0.5, -2.0]]).unwrap();
        let labels = Dataset {
            x: Mat { rows: 4, cols: 1, data: vec![0.0, 1.0, 2.0, 2.0] },
            y: Mat { rows: 4, cols: 1, data: vec![0.0, 1.0, 2.0, 0.0] },
            classification: true,
        };
        let data = labels.one_hot(3).unwrap();
        let counts = confusion(&net, &data);
        assert_eq!(counts, vec![vec![1, 0, 1], vec![0, 1, 0], vec![0, 0, 1]]);
        let total: usize = counts.iter().flatten().sum();
        assert_eq!(total, data.len());
        let sigmoid = Architecture { sizes: vec![1, 1], activations: vec![Activation::Sigmoid], loss: Loss::Bce };
        let net = Network::from_weights(sigmoid, &[vec![vec![10.0]]], &[vec![-5.0]]).unwrap();
        let two = Dataset {
            x: Mat { rows: 3, cols: 1, data: vec![0.0, 1.0, 0.9] },
            y: Mat { rows: 3, cols: 1, data: vec![0.0, 1.0, 0.0] },
            classification: true,
        };
        assert_eq!(confusion(&net, &two), vec![vec![1, 1], vec![0, 1]], "one output: class 1 from ½ on");
        assert_eq!(confusion(&net, &Dataset::empty(true, 1)), vec![vec![0, 0], vec![0, 0]]);
    }
}
